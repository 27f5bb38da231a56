# A fresh document lints with "fill this in" findings only (section-placeholder, author-missing).
pm new --date 2026-06-01 --sev SEV-2 --title "Queue backlog" --incident INC-4712 > /tmp/inquest-golden-pm_new_lint.md && "$bin" pm lint /tmp/inquest-golden-pm_new_lint.md
