#! stderr
symbolize tests/golden/capture_crash-bad.txt
