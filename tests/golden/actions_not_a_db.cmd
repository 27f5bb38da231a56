#! stderr
# A store file that is not a database: bad input naming the file.
actions list --db tests/golden/actions_checkout.md
