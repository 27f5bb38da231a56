#! stderr
pm lint --format xml README.md
