# A real post-mortem (dfds/postmortems): vague, unowned, undated action items, no trigger.
pm lint ../shared/fixtures/postmortems/dfds/PM2022-006_-_ALB_502_errors.md
