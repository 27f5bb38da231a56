#! stderr
core ../shared/fixtures/cores/elfutils/testfiledwarfinlines
