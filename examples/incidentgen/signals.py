"""Detection evidence: alerts (Alertmanager webhook notifications or its API's alert list),
pages (PagerDuty log entries or Opsgenie alert actions) and customer tickets (help-desk
exports), with decoys from before the incident. plan_signals() decides when each fires;
the render functions write them in the chosen shape.

A signal is a dict: kind (alert, page, ticket), time, opening (it starts something rather than
acknowledging or resolving it), customer, name, summary, service, resolved_at.
"""
import json

from . import clock

# Alert delays after the onset, in minutes: early (inside the late-detection line) or late
# (clearly past it); plan.LATE_MARGIN_S keeps them off the line itself.
EARLY_ALERT_MIN = (1.0, 3.5)
LATE_ALERT_MIN = (6.5, 10.0)

COMPLAINTS = [
    ("Checkout keeps failing", "I tried to pay three times, the page says something went wrong."),
    ("Error 502 when saving", "Saving my order gives a 502 error, please help, it is urgent."),
    ("Site broken?", "Nothing works since a few minutes, I get an error page every time."),
    ("Cannot log in", "Login spins and then shows 'service unavailable'."),
]


def plan_signals(plan, rng):
    F = plan["front"]
    onset = plan["onset"]
    sigs = []
    late = rng.random() < 0.3
    delay = rng.uniform(*(LATE_ALERT_MIN if late else EARLY_ALERT_MIN)) * 60
    alert_t = onset + delay
    sigs.append(dict(kind="alert", time=alert_t, opening=True, customer=False,
                     name=rng.choice(["HighErrorRate", "ErrorBudgetBurn", "Http5xxRatio"]),
                     summary=f"{F} error ratio above 5% for 2m", service=F,
                     resolved_at=plan["recovery"] + rng.uniform(120, 300)))
    plan["pool_alert"] = "saturation" in plan["patterns"] and rng.random() < 0.3
    if plan["pool_alert"]:
        pool_delay = rng.uniform(*rng.choice([EARLY_ALERT_MIN, LATE_ALERT_MIN])) * 60
        sigs.append(dict(kind="alert", time=onset + pool_delay, opening=True,
                         customer=False, name="PoolSaturated",
                         summary=f"connection pool {plan['pool']} saturated on "
                                 f"{plan['pool_service']}",
                         service=plan["pool_service"], labels_pool=plan["pool"],
                         resolved_at=plan["recovery"] + rng.uniform(60, 300)))
    page_t = alert_t + rng.uniform(15, 90)
    sigs.append(dict(kind="page", time=page_t, opening=True, customer=False,
                     name=f"P{rng.randrange(100000, 999999)}",
                     summary=f"[FIRING:1] {sigs[0]['name']} {F}", service=F,
                     ack_at=page_t + rng.uniform(60, 360),
                     resolved_at=plan["recovery"] + rng.uniform(300, 600)))
    ticket_before = rng.random() < 0.4
    if ticket_before:
        tk = onset + rng.uniform(0.5, max(0.6, delay / 60 - 0.5)) * 60
    else:
        tk = alert_t + rng.uniform(1, 8) * 60
    subj, body = rng.choice(COMPLAINTS)
    sigs.append(dict(kind="ticket", time=tk, opening=True, customer=True,
                     name=str(rng.randrange(10000, 99999)), summary=subj, body=body, service=F))
    # Decoys from hours before: a resolved alert on another service and an old ticket.
    old = plan["start"] - rng.uniform(1, 5) * 3600
    sigs.append(dict(kind="alert", time=old, opening=True, customer=False, name="DiskSpaceLow",
                     summary=f"{plan['worker']} disk above 85%", service=plan["worker"],
                     resolved_at=old + 900, decoy=True))
    sigs.append(dict(kind="ticket", time=plan["start"] - rng.uniform(2, 20) * 3600,
                     opening=True, customer=True, name=str(rng.randrange(10000, 99999)),
                     summary="Invoice address wrong", body="My invoice shows my old address.",
                     service="", decoy=True))
    for s in sigs:  # written to the second by every shape
        for k in ("time", "ack_at", "resolved_at"):
            if k in s:
                s[k] = float(int(s[k]))
    return sigs


def render_alerts(alerts, rng):
    shape = rng.choice(["webhook", "webhook", "api"])
    ext = f"http://alertmanager.{rng.choice(['ops', 'mon', 'obs'])}.internal:9093"
    if shape == "api":
        arr = []
        for a in sorted(alerts, key=lambda a: a["time"]):
            labels = {"alertname": a["name"], "service": a["service"], "severity": "page"}
            if a.get("labels_pool"):
                labels["pool"] = a["labels_pool"]
            arr.append({"labels": labels, "annotations": {"summary": a["summary"]},
                        "startsAt": clock.iso_z(a["time"]),
                        "endsAt": clock.iso_z(a["resolved_at"]),
                        "updatedAt": clock.iso_z(a["resolved_at"]),
                        "fingerprint": f"{rng.getrandbits(64):016x}",
                        "status": {"state": "resolved" if a.get("decoy") else "active",
                                   "silencedBy": [], "inhibitedBy": []},
                        "generatorURL": "http://prometheus:9090/graph?g0.expr=job%3D"
                                        + a["service"]})
        return json.dumps(arr, indent=2).split("\n")
    events = []
    for a in alerts:
        events.append((a["time"], a, "firing"))
        events.append((a["resolved_at"], a, "resolved"))
    lines = []
    for t, a, status in sorted(events, key=lambda e: e[0]):
        labels = {"alertname": a["name"], "service": a["service"], "severity": "page"}
        if a.get("labels_pool"):
            labels["pool"] = a["labels_pool"]
        alert = {"status": status, "labels": labels, "annotations": {"summary": a["summary"]},
                 "startsAt": clock.iso_z(a["time"]),
                 "endsAt": "0001-01-01T00:00:00Z" if status == "firing" else clock.iso_z(t),
                 "generatorURL": "http://prometheus:9090/graph",
                 "fingerprint": f"{rng.getrandbits(64):016x}"}
        lines.append(json.dumps({"receiver": "oncall", "status": status, "alerts": [alert],
                                 "groupLabels": {"alertname": a["name"]}, "commonLabels": labels,
                                 "commonAnnotations": alert["annotations"],
                                 "externalURL": ext, "version": "4",
                                 "groupKey": "{}:{alertname=\"" + a["name"] + "\"}",
                                 "truncatedAlerts": 0}))
    return lines


def render_pages(page, rng):
    """PagerDuty log entries (JSON lines or a {"log_entries": [...]} document) or Opsgenie
    alert actions (JSON lines, epoch milliseconds)."""
    style = rng.choice(["pagerduty_lines", "pagerduty_doc", "opsgenie"])
    steps = [("trigger", page["time"]), ("acknowledge", page["ack_at"]),
             ("resolve", page["resolved_at"])]
    if style == "opsgenie":
        action = {"trigger": "Create", "acknowledge": "Acknowledge", "resolve": "Close"}
        aid = f"{rng.getrandbits(128):032x}"
        return [json.dumps({"action": action[k], "integrationName": "Prometheus",
                            "alert": {"alertId": aid, "message": page["summary"],
                                      "tags": ["prod", page["service"]],
                                      "entity": page["service"], "priority": "P1",
                                      "createdAt": int(page["time"] * 1000),
                                      "updatedAt": int(t * 1000), "status":
                                      "closed" if k == "resolve" else "open"},
                            "source": {"name": "alertmanager", "type": "API"}})
                for k, t in steps]
    entries = []
    for k, t in steps:
        entries.append({"id": f"R{rng.getrandbits(60):015X}"[:15], "type": f"{k}_log_entry",
                        "summary": {"trigger": "Triggered through the API",
                                    "acknowledge": "Acknowledged by Dana Q",
                                    "resolve": "Resolved by Dana Q"}[k],
                        "created_at": clock.iso_z(t, 0),
                        "incident": {"id": page["name"], "type": "incident_reference",
                                     "summary": page["summary"]},
                        "service": {"id": f"PS{rng.getrandbits(20):05X}",
                                    "summary": page["service"]},
                        "agent": {"type": "events_api_inbound_integration_reference"
                                  if k == "trigger" else "user_reference"}})
    if style == "pagerduty_doc":
        return json.dumps({"log_entries": entries, "limit": 100, "offset": 0, "more": False},
                          indent=1).split("\n")
    return [json.dumps(e) for e in entries]


def render_tickets(tickets, rng):
    """Help-desk exports: Zendesk-like (JSON lines or a {"tickets": [...]} document) or
    Freshdesk-like JSON lines."""
    style = rng.choice(["zendesk_lines", "zendesk_doc", "freshdesk"])
    tickets = sorted(tickets, key=lambda t: t["time"])
    if style == "freshdesk":
        return [json.dumps({"id": int(t["name"]), "subject": t["summary"],
                            "description_text": t["body"], "created_at": clock.iso_z(t["time"], 0),
                            "updated_at": clock.iso_z(t["time"] + 300, 0), "status": 2,
                            "priority": 3, "source": 1, "requester_id": rng.randrange(10**9),
                            "type": "Problem", "tags": [t["service"]] if t["service"] else []})
                for t in tickets]
    objs = [{"id": int(t["name"]), "created_at": clock.iso_z(t["time"], 0),
             "updated_at": clock.iso_z(t["time"] + 300, 0), "subject": t["summary"],
             "description": t["body"], "status": "new", "priority": "high",
             "requester": {"name": rng.choice(["Ana P.", "Tom B.", "Kim L."]),
                           "email": f"customer{rng.randrange(999)}@mail.example"},
             "via": {"channel": rng.choice(["email", "web"])}, "type": "incident",
             "tags": [t["service"]] if t["service"] else []} for t in tickets]
    if style == "zendesk_doc":
        return json.dumps({"tickets": objs, "count": len(objs), "next_page": None},
                          indent=2).split("\n")
    return [json.dumps(o) for o in objs]
