# The whole example bundle as one timeline: change records, alerts, pages and tickets read by
# their own readers as records of their role, merged with the logs; only those records kept.
#! stderr
timeline examples/checkout-stampede --where role!=log
