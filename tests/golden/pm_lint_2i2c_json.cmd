# A real post-mortem (2i2c incident reports) as JSON: a timeline in BST, task-list action items.
pm lint --format json ../shared/fixtures/postmortems/2i2c/2025-07-11-cloudbank-healthcheck.md
