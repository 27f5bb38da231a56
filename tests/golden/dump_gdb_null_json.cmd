dump tests/golden/dump_gdb_null.txt --time 2026-05-29T14:14:00Z --format json
