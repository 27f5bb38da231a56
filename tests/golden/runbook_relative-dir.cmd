#! stderr
runbook go --dump-dir dumps
