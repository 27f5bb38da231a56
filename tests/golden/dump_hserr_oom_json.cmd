# Out of native memory: mmap failed committing reserved heap memory (krashpad dataset28), JSON.
dump ../shared/fixtures/dumps/hs_err/krashpad-dataset28.txt --format json
