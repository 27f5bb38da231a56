#! stderr
# pm import --dry-run of an edited copy: what would change (the resolved time, AI-1's status,
# AI-2's text, AI-3 reused for a different item, warned with its line, AI-4's class kept), exit
# 0; the items listed afterwards show that nothing was written; then the import itself, which
# does what the dry run said. A fresh store each run.
--version >/dev/null && rm -rf /tmp/inquest-golden/pm_import_dry_run && mkdir -p /tmp/inquest-golden/pm_import_dry_run
&& cp tests/golden/actions_checkout.md /tmp/inquest-golden/pm_import_dry_run/checkout.md
&& "$bin" pm import --db /tmp/inquest-golden/pm_import_dry_run/store.db --now 2026-05-30 /tmp/inquest-golden/pm_import_dry_run/checkout.md >/dev/null
&& cp tests/golden/incidents_checkout_edited.md /tmp/inquest-golden/pm_import_dry_run/checkout.md
&& "$bin" pm import --db /tmp/inquest-golden/pm_import_dry_run/store.db --now 2026-06-01 --dry-run /tmp/inquest-golden/pm_import_dry_run/checkout.md
&& "$bin" actions list --db /tmp/inquest-golden/pm_import_dry_run/store.db --now 2026-06-01
&& "$bin" pm import --db /tmp/inquest-golden/pm_import_dry_run/store.db --now 2026-06-01 /tmp/inquest-golden/pm_import_dry_run/checkout.md
