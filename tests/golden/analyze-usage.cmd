#! stderr
analyze
