dump tests/golden/dump_go_deadlock.txt --time 2026-05-29T14:14:00Z
