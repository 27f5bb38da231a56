runbook native --dump-dir /srv/dumps/
