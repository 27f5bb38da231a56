#! stderr
analyze examples/no-such-incident
