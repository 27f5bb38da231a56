# `incidents show --json`, the same incident as incidents_show (found by its number this time):
# the history entries carry their kind (created, status, text, note) and both texts of a change.
--version >/dev/null && rm -rf /tmp/inquest-golden/incidents_show_json && mkdir -p /tmp/inquest-golden/incidents_show_json
&& cp tests/golden/actions_checkout.md /tmp/inquest-golden/incidents_show_json/checkout.md
&& "$bin" pm import --db /tmp/inquest-golden/incidents_show_json/store.db --now 2026-05-30 /tmp/inquest-golden/incidents_show_json/checkout.md >/dev/null
&& "$bin" actions update 3 --db /tmp/inquest-golden/incidents_show_json/store.db --now 2026-05-31 --ticket https://tickets.example/PAY-103 --status in-progress --note "picked up by release engineering" >/dev/null
&& cp tests/golden/incidents_checkout_edited.md /tmp/inquest-golden/incidents_show_json/checkout.md
&& "$bin" pm import --db /tmp/inquest-golden/incidents_show_json/store.db --now 2026-06-01 /tmp/inquest-golden/incidents_show_json/checkout.md >/dev/null
&& "$bin" incidents show --db /tmp/inquest-golden/incidents_show_json/store.db 1 --json
