#! stderr
# Not a Markdown document (NUL bytes): a clear error naming the file and byte offset, exit 3.
pm lint tests/golden/pm_binary.md
