runbook go --dump-dir /data/dumps
