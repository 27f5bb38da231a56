# Every action item, overdue ones marked with how late they are.
# (a fresh store each run: one left by another checkout would hold its incidents too)
--version >/dev/null && rm -rf /tmp/inquest-golden/actions_list && "$bin" pm import --db /tmp/inquest-golden/actions_list/store.db --now 2026-05-30 tests/golden/actions_login.md tests/golden/actions_checkout.md >/dev/null && "$bin" pm import --db /tmp/inquest-golden/actions_list/store.db --now 2026-06-19 tests/golden/actions_checkout_again.md >/dev/null && "$bin" actions list --db /tmp/inquest-golden/actions_list/store.db --now 2026-06-20
