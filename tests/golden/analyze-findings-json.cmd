# The findings.json contract on the bundled example (field names are stable; review changes).
analyze examples/checkout-stampede -q --out /tmp/inquest-golden/analyze-findings-json && cat /tmp/inquest-golden/analyze-findings-json/findings.json
