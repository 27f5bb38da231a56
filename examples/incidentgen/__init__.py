"""A seeded generator of incident bundles with their ground truth (truth.json).

Each seed picks a scenario (a leak behind a flag, a bad config push, a slow dependency, a memory
leak with restarts, an expired certificate, a DNS failure, a retry storm, a cache stampede),
service and host names, log layouts, zones, skewed host clocks, change-export formats and
alert, page and ticket formats, and writes the evidence an on-call engineer would collect. The
same seed always gives the same bytes. Standard library only.

    from incidentgen.bundle import write_bundle
    truth = write_bundle("/tmp/incident-7", seed=7)
"""
