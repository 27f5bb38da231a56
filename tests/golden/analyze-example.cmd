# inquest analyze on the bundled example: the stdout summary (inputs and what each was taken
# for, onset, recovery, impact, detection, top changes, findings).
analyze examples/checkout-stampede --out /tmp/inquest-golden/analyze-example
