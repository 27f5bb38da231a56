# Pre-filled from what `analyze` found in the example bundle: impact, detection, a UTC timeline
# with sources, ranked trigger candidates, contributing-factor candidates, one action row each.
analyze examples/checkout-stampede --out /tmp/inquest-golden/pm_new_from_example -q >/dev/null && "$bin" pm new --from /tmp/inquest-golden/pm_new_from_example/findings.json --sev SEV-2 --title "Checkout cache stampede"
