dump tests/golden/dump_python_pyspy.txt --time 2026-05-29T14:14:00Z
