#! stderr
core ../shared/fixtures/cores/elfutils/testfiledwarfinlines.core --debug-dir no/such/dir
