# `incidents list --json`, SEV-2 only: the times, the durations in seconds, the item counts and
# the definitions. The documents are copied so that their stored paths are the same everywhere.
--version >/dev/null && rm -rf /tmp/inquest-golden/incidents_list_json && mkdir -p /tmp/inquest-golden/incidents_list_json
&& cp tests/golden/actions_login.md tests/golden/actions_checkout.md tests/golden/actions_checkout_again.md /tmp/inquest-golden/incidents_list_json/
&& "$bin" pm import --db /tmp/inquest-golden/incidents_list_json/store.db --now 2026-05-30 /tmp/inquest-golden/incidents_list_json/actions_login.md /tmp/inquest-golden/incidents_list_json/actions_checkout.md /tmp/inquest-golden/incidents_list_json/actions_checkout_again.md >/dev/null
&& "$bin" incidents list --db /tmp/inquest-golden/incidents_list_json/store.db --sev SEV-2 --json
