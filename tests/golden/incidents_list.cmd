# Every stored incident, one row each: key (the document's incident id), SEV, start, time to
# detect and to recover, items open and done, and what TTD and TTR mean. A fresh store each run.
--version >/dev/null && rm -rf /tmp/inquest-golden/incidents_list
&& "$bin" pm import --db /tmp/inquest-golden/incidents_list/store.db --now 2026-05-30 tests/golden/actions_login.md tests/golden/actions_checkout.md >/dev/null
&& "$bin" pm import --db /tmp/inquest-golden/incidents_list/store.db --now 2026-06-19 tests/golden/actions_checkout_again.md >/dev/null
&& "$bin" incidents list --db /tmp/inquest-golden/incidents_list/store.db
