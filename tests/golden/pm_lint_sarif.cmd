# SARIF 2.1.0 for code review tools: the rule table and one result per finding.
pm lint --format sarif ../shared/fixtures/postmortems/dfds/PMyyyy-nnn_-_Postmortem_template.md
