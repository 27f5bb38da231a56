#! stderr
symbolize tests/golden/capture_crash-cut.txt
