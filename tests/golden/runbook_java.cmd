runbook java
