"""Log layouts: one record rendered as a JSON line (flat with any key names, nested ECS, or
OpenTelemetry's log data model), a logfmt line (with an unusual time key) or a text line of one
of many column layouts. A layout is chosen once per file by choose_layout(rng, ...) and
applied to every record of that file by render(layout, record, written_time).

A record is a dict: t (true UTC seconds), level (debug, info, warn, error), msg (text), kv
(ordered extra fields), rid (request id or None), service, host, component, pid.
"""
import json

from . import clock

LEVEL_WORDS = {
    "upper": {"debug": "DEBUG", "info": "INFO", "warn": "WARN", "error": "ERROR"},
    "upper_long": {"debug": "DEBUG", "info": "INFO", "warn": "WARNING", "error": "ERROR"},
    "lower": {"debug": "debug", "info": "info", "warn": "warn", "error": "error"},
    "title": {"debug": "Debug", "info": "Information", "warn": "Warning", "error": "Error"},
    "three": {"debug": "DBG", "info": "INF", "warn": "WRN", "error": "ERR"},
    "letter": {"debug": "D", "info": "I", "warn": "W", "error": "E"},
}
# pino and bunyan write levels as numbers: 20 debug, 30 info, 40 warn, 50 error.
NUMERIC_LEVELS = {"debug": 20, "info": 30, "warn": 40, "error": 50}

TIME_KEYS = ["ts", "time", "timestamp", "@t", "when", "logged_at", "eventTime", "t", "date"]
LEVEL_KEYS = ["level", "lvl", "severity", "log_level", "sev", "loglevel"]
MSG_KEYS = ["msg", "message", "event", "text", "body", "log"]
RID_KEYS = ["request_id", "req_id", "rid", "requestId", "correlation_id", "x_request_id",
            "reqid", "ctx_id"]
HOST_KEYS = ["host", "hostname", "node", "instance", "pod"]
SERVICE_KEYS = ["service", "svc", "app", "component_name", "application"]
LOGFMT_TIME_KEYS = ["at", "logged", "stamp", "when", "t", "moment", "clock_utc", "tm"]

# Text column layouts. T time, L level, H host, S service, P pid, C component, R request id,
# M message with its key=value details.
TEXT_TEMPLATES = [
    "{T} {L} [{C}] {M}",
    "{T} {H} {S}[{P}]: {L} {M}",
    "[{T}] [{L}] [{H}] {M}",
    "{L} {T} {P} --- [{C}] {M}",
    "{T}|{L}|{H}|{C}|{M}",
    "{H} {T} {L} {C}: {M}",
    "{T} [{R}] {L} {S} - {M}",
    "{T} {L} pid={P} {M}",
    "<{L}> {T} ({C}) {M}",
]


def choose_layout(rng, day, allow_text=True):
    """A layout for one file: which family, which names, which time form and zone."""
    family = rng.choice(["json_flat", "json_flat", "json_ecs", "json_otel", "logfmt"] +
                        (["text"] * 4 if allow_text else []))
    zone_abbr, zone_off = rng.choice(clock.ZONES)
    lay = {"family": family, "zone_off": zone_off, "zone_abbr": zone_abbr,
           "rid_key": rng.choice(RID_KEYS)}
    if family == "json_flat":
        lay.update(time_key=rng.choice(TIME_KEYS), level_key=rng.choice(LEVEL_KEYS),
                   msg_key=rng.choice(MSG_KEYS), host_key=rng.choice(HOST_KEYS),
                   service_key=rng.choice(SERVICE_KEYS),
                   time_form=rng.choice(["iso_z", "iso_offset", "iso_offset_compact",
                                         "epoch_s", "epoch_ms", "epoch_ns"]),
                   levels=rng.choice(["upper", "lower", "upper_long", "numeric"]))
    elif family == "json_ecs":
        lay.update(time_form=rng.choice(["iso_z", "iso_offset"]),
                   levels=rng.choice(["lower", "upper"]))
    elif family == "json_otel":
        lay.update(camel=rng.random() < 0.5, levels="upper")
    elif family == "logfmt":
        lay.update(time_key=rng.choice(LOGFMT_TIME_KEYS), level_key=rng.choice(LEVEL_KEYS),
                   msg_key=rng.choice(["msg", "message", "event"]),
                   time_form=rng.choice(["iso_z", "iso_offset", "epoch_s", "epoch_ms"]),
                   levels=rng.choice(["lower", "upper", "three"]))
    else:
        kind = rng.choice(["template"] * 6 + ["glog", "epoch_local"])
        lay.update(text_kind=kind, levels=rng.choice(sorted(LEVEL_WORDS)),
                   template=rng.choice(TEXT_TEMPLATES),
                   time_layout=rng.choice(clock.text_time_layouts(day)),
                   zone_style=rng.choice(["none", "abbr", "compact", "colon"]),
                   rid_form=rng.choice(["kv", "kv", "bracket"]),
                   epoch_unit=rng.choice(["s", "ms"]))
        if lay["zone_style"] == "abbr" and zone_abbr is None:
            lay["zone_style"] = "compact"
        if lay["zone_style"] == "none" or kind == "glog":
            # A time written without a zone is read as UTC (the documented assumption), so
            # the generator writes such times in UTC; a local clock comes with its zone.
            lay["zone_off"], lay["zone_abbr"] = 0, "UTC"
        if kind == "epoch_local" and lay["zone_off"] == 0:
            # The written local time is zone-less; the epoch beside it is the truth.
            lay["zone_off"] = rng.choice([60, 120, -300, -420, 330, 540])
        if lay["time_layout"] in clock.YEARLESS and lay["zone_style"] == "colon":
            lay["zone_style"] = "compact"
    return lay


def _quote(v):
    s = str(v)
    if s == "" or any(c in s for c in ' ="\t'):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return s


def _kv_text(rec, lay, with_rid):
    parts = []
    if with_rid and rec.get("rid"):
        parts.append(f"{lay['rid_key']}={rec['rid']}")
    for k, v in rec["kv"].items():
        parts.append(f"{k}={_quote(v)}")
    return " ".join(parts)


def _json_time(t, lay):
    form = lay["time_form"]
    if form == "iso_z":
        return clock.iso_z(t)
    if form == "iso_offset":
        return clock.iso_offset(t, lay["zone_off"])
    if form == "iso_offset_compact":
        return clock.iso_offset(t, lay["zone_off"], style="compact")
    if form == "epoch_s":
        return round(t, 3)
    if form == "epoch_ms":
        return int(round(t * 1000))
    return int(round(t * 1e6)) * 1000


def _level(rec, lay):
    if lay["levels"] == "numeric":
        return NUMERIC_LEVELS[rec["level"]]
    return LEVEL_WORDS[lay["levels"]][rec["level"]]


def render(lay, rec, t):
    """One line (without newline) for record `rec` at written time `t`."""
    fam = lay["family"]
    if fam == "json_flat":
        o = {lay["time_key"]: _json_time(t, lay), lay["level_key"]: _level(rec, lay),
             lay["service_key"]: rec["service"], lay["host_key"]: rec["host"],
             lay["msg_key"]: rec["msg"]}
        if rec.get("rid"):
            o[lay["rid_key"]] = rec["rid"]
        o.update(rec["kv"])
        return json.dumps(o, separators=(",", ":"))
    if fam == "json_ecs":
        o = {"@timestamp": _json_time(t, lay), "log": {"level": _level(rec, lay),
                                                       "logger": rec["component"]},
             "service": {"name": rec["service"]}, "host": {"name": rec["host"]},
             "process": {"pid": rec["pid"]}, "message": rec["msg"]}
        if rec.get("rid"):
            o["http"] = {"request": {"id": rec["rid"]}}
        if rec["kv"]:
            o["labels"] = dict(rec["kv"])
        o["ecs"] = {"version": "8.11.0"}
        return json.dumps(o, separators=(",", ":"))
    if fam == "json_otel":
        ns = str(int(round(t * 1e6)) * 1000)
        attrs = dict(rec["kv"])
        if rec.get("rid"):
            attrs["request.id"] = rec["rid"]
        sev = {"debug": 5, "info": 9, "warn": 13, "error": 17}[rec["level"]]
        if lay["camel"]:
            o = {"timeUnixNano": ns, "severityNumber": sev,
                 "severityText": _level(rec, lay), "body": {"stringValue": rec["msg"]},
                 "resource": {"service.name": rec["service"], "host.name": rec["host"]},
                 "attributes": attrs}
        else:
            o = {"Timestamp": ns, "SeverityText": _level(rec, lay), "SeverityNumber": sev,
                 "Body": rec["msg"], "Resource": {"service.name": rec["service"],
                                                  "host.name": rec["host"]},
                 "Attributes": attrs}
        return json.dumps(o, separators=(",", ":"))
    if fam == "logfmt":
        tv = _json_time(t, lay)
        parts = [f"{lay['time_key']}={tv}", f"{lay['level_key']}={_level(rec, lay)}",
                 f"service={rec['service']}", f"{lay['msg_key']}={_quote(rec['msg'])}"]
        kv = _kv_text(rec, lay, True)
        return " ".join(parts) + (" " + kv if kv else "")
    return _render_text(lay, rec, t)


def _render_text(lay, rec, t):
    level = LEVEL_WORDS[lay["levels"]][rec["level"]]
    kind = lay["text_kind"]
    if kind == "glog":
        d = clock.local(t, 0)
        stamp = d.strftime("%m%d %H:%M:%S.") + f"{d.microsecond:06d}"
        kv = _kv_text(rec, lay, True)
        letter = LEVEL_WORDS["letter"][rec["level"]]
        return f"{letter}{stamp} {rec['pid']:>7} {rec['component']}.go:{rec['srcline']}] " \
               f"{rec['msg']}" + (" " + kv if kv else "")
    if kind == "epoch_local":
        ep = clock.epoch_text(t, lay["epoch_unit"])
        loc = clock.text_time(t, "iso_space_comma", lay["zone_off"])
        kv = _kv_text(rec, lay, True)
        return f"{ep} {loc} {level} {rec['msg']}" + (" " + kv if kv else "")
    stamp = clock.text_time(t, lay["time_layout"], lay["zone_off"]) + clock.zone_suffix(
        lay["zone_off"], lay["zone_abbr"], lay["zone_style"])
    with_rid = lay["rid_form"] == "kv" or "{R}" not in lay["template"]
    kv = _kv_text(rec, lay, with_rid)
    msg = rec["msg"] + (" " + kv if kv else "")
    return lay["template"].format(T=stamp, L=level, H=rec["host"], S=rec["service"],
                                  P=rec["pid"], C=rec["component"], R=rec.get("rid") or "-",
                                  M=msg)
