dump tests/golden/dump_python_hang.txt --time 2026-05-29T14:14:00Z --format md
