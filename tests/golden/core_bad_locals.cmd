#! stderr
core ../shared/fixtures/cores/elfutils/testfiledwarfinlines.core --locals some
