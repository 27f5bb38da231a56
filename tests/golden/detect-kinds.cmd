# Evidence kinds by content: change records, alert/page/ticket records, an access log, and a
# Loghub *_structured.csv (parsed log lines: a level column, no change columns) left unknown.
detect examples/checkout-stampede/exports/* examples/checkout-stampede/edge/access.log.1 ../shared/fixtures/logs/loghub/Zookeeper_2k.log_structured.csv
