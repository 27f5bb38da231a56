dump ../shared/fixtures/dumps/go/waitsince.txt --time 2026-05-29T14:14:00Z --max-groups 4
