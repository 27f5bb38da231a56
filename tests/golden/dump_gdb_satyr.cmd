dump ../shared/fixtures/dumps/gdb/satyr-rhbz-955617.txt --time 2026-05-29T14:14:00Z
