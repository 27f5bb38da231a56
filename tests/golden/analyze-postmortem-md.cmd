# The post-mortem draft on the bundled example: every statement cites file:line, open
# questions are marked for the author.
analyze examples/checkout-stampede -q --out /tmp/inquest-golden/analyze-postmortem-md && cat /tmp/inquest-golden/analyze-postmortem-md/postmortem.md
