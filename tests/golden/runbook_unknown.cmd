#! stderr
runbook pyhton
