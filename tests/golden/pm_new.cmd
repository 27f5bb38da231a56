# The primer's template with the default SEV scale: every section with its guidance.
pm new --date 2026-06-01 --sev SEV-3 --title "Queue backlog" --incident INC-4711
