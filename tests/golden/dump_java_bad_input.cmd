#! stderr
# Garbage between threads and a malformed synchronizer: reported with their lines, the rest read.
dump ../shared/fixtures/dumps/java/dumpling/unknown-chunks.log ../shared/fixtures/dumps/java/dumpling/broken-synchronizers.log
