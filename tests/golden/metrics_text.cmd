# TTD and TTR per SEV (median, p90, mean beside), completion, balance, triggers.
# (a fresh store each run: one left by another checkout would hold its incidents too)
--version >/dev/null && rm -rf /tmp/inquest-golden/metrics_text && "$bin" pm import --db /tmp/inquest-golden/metrics_text/store.db --now 2026-05-30 tests/golden/actions_login.md tests/golden/actions_checkout.md >/dev/null && "$bin" pm import --db /tmp/inquest-golden/metrics_text/store.db --now 2026-06-19 tests/golden/actions_checkout_again.md >/dev/null && "$bin" metrics --db /tmp/inquest-golden/metrics_text/store.db
