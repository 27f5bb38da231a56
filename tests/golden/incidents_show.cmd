# One incident as the store holds it after an edited copy of its post-mortem was imported: the
# times, SEV, document, and every item's whole history: AI-1's status change, AI-2's text
# change, and AI-3 reused in the document for a different item, stored as #5 while #3 keeps the
# ticket and note it had. Found by its incident id. A fresh store and copy each run.
--version >/dev/null && rm -rf /tmp/inquest-golden/incidents_show && mkdir -p /tmp/inquest-golden/incidents_show
&& cp tests/golden/actions_checkout.md /tmp/inquest-golden/incidents_show/checkout.md
&& "$bin" pm import --db /tmp/inquest-golden/incidents_show/store.db --now 2026-05-30 /tmp/inquest-golden/incidents_show/checkout.md >/dev/null
&& "$bin" actions update 3 --db /tmp/inquest-golden/incidents_show/store.db --now 2026-05-31 --ticket https://tickets.example/PAY-103 --status in-progress --note "picked up by release engineering" >/dev/null
&& cp tests/golden/incidents_checkout_edited.md /tmp/inquest-golden/incidents_show/checkout.md
&& "$bin" pm import --db /tmp/inquest-golden/incidents_show/store.db --now 2026-06-01 /tmp/inquest-golden/incidents_show/checkout.md >/dev/null
&& "$bin" incidents show --db /tmp/inquest-golden/incidents_show/store.db inc-20260529-1411-3fa9c2
