#! stderr
# pm import into a throw-away store: what was stored, what was read with an assumption (file and
# line), and a document refused for a table that is no table (exit 3; the others still import).
pm import --db :memory: tests/golden/actions_checkout.md tests/golden/actions_login.md tests/golden/actions_import_broken.md tests/golden/actions_import_assumptions.md
