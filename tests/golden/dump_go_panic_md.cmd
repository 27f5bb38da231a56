dump tests/golden/dump_go_panic.txt --time 2026-05-29T14:14:00Z --format md
