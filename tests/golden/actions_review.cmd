# The two-week review agenda over three imported post-mortems: overdue, silent decay,
# missing owner/date/ticket, per-owner and per-incident counts, a recurrence (exit 1).
# (a fresh store each run: one left by another checkout would hold its incidents too)
--version >/dev/null && rm -rf /tmp/inquest-golden/actions_review && "$bin" pm import --db /tmp/inquest-golden/actions_review/store.db --now 2026-05-30 tests/golden/actions_login.md tests/golden/actions_checkout.md >/dev/null && "$bin" pm import --db /tmp/inquest-golden/actions_review/store.db --now 2026-06-19 tests/golden/actions_checkout_again.md >/dev/null && "$bin" actions review --db /tmp/inquest-golden/actions_review/store.db --now 2026-06-20
