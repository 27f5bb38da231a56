runbook python
