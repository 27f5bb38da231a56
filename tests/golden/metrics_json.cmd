# The metrics as JSON, since a date.
# (a fresh store each run: one left by another checkout would hold its incidents too)
--version >/dev/null && rm -rf /tmp/inquest-golden/metrics_json && "$bin" pm import --db /tmp/inquest-golden/metrics_json/store.db --now 2026-05-30 tests/golden/actions_login.md tests/golden/actions_checkout.md >/dev/null && "$bin" pm import --db /tmp/inquest-golden/metrics_json/store.db --now 2026-06-19 tests/golden/actions_checkout_again.md >/dev/null && "$bin" metrics --db /tmp/inquest-golden/metrics_json/store.db --since 2026-05-01 --format json
