symbolize tests/golden/capture_crash-synthetic.txt --format json
