# inquest.toml switches rules off and re-grades them: no SEV check, tickets become errors.
pm lint --config tests/golden/pm_lint_config.toml ../shared/fixtures/postmortems/dfds/PM2020-008_-_Alcide_admission_causing_Kubernetes_timeouts.md
