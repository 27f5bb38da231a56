#! stderr
core no/such/core
