#! stderr
timeline ../shared/fixtures/cores/lldb/linux-x86_64.core
