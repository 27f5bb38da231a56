"""Times as evidence writes them: zones (offsets and unambiguous abbreviations), the many
ways a text log spells a timestamp, and the ISO and epoch forms of JSON and logfmt records.

Every function takes a true UTC time in float seconds since the epoch and returns text; the
caller adds a host's clock offset before calling when the host's clock is skewed.
"""
import datetime as _dt

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

# Zones a log may be written in: (abbreviation or None, offset in minutes east of UTC). Only
# abbreviations with one common meaning are used (no IST, BST, CST), so the truth is never a
# matter of convention.
ZONES = [
    ("UTC", 0), ("GMT", 0), ("CET", 60), ("CEST", 120), ("EET", 120), ("EEST", 180),
    ("MSK", 180), ("JST", 540), ("KST", 540), ("HKT", 480), ("SGT", 480), ("AEST", 600),
    ("NZST", 720), ("EST", -300), ("EDT", -240), ("PST", -480), ("PDT", -420),
    ("MST", -420), ("AKST", -540), ("HST", -600), (None, 330), (None, -180), (None, 345),
]


def utc(t):
    return _dt.datetime.fromtimestamp(t, _dt.timezone.utc)


def local(t, offset_min):
    return _dt.datetime.fromtimestamp(t, _dt.timezone(_dt.timedelta(minutes=offset_min)))


def iso_z(t, digits=3):
    """2026-05-29T14:11:00.043Z"""
    d = utc(t)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + frac(d, digits) + "Z"


def frac(d, digits):
    if digits == 0:
        return ""
    return "." + f"{d.microsecond:06d}"[:digits] if digits <= 6 else "." + f"{d.microsecond:06d}000"


def offset_text(offset_min, style):
    """+02:00, +0200, +02 or Z for zero in the "Z" style."""
    if style == "Z" and offset_min == 0:
        return "Z"
    sign = "+" if offset_min >= 0 else "-"
    h, m = divmod(abs(offset_min), 60)
    if style == "compact":
        return f"{sign}{h:02d}{m:02d}"
    return f"{sign}{h:02d}:{m:02d}"


def iso_offset(t, offset_min, digits=3, style="colon"):
    """2026-05-29T16:11:00.043+02:00: local time with its numeric offset."""
    d = local(t, offset_min)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + frac(d, digits) + offset_text(offset_min, style)


# Text timestamp layouts: name -> (function of a local datetime, whether it carries a year).
# Day and month orders that a reader cannot tell apart (01/02) are written only when the day
# is above 12 (see text_time_layouts).
def _f(d, pattern, digits=0):
    out = pattern
    out = out.replace("%b", MONTHS[d.month - 1]).replace("%a", DAYS[d.weekday()])
    out = d.strftime(out)
    return out.replace("~F", frac(d, digits)[1:] if digits else "")


TEXT_TIMES = {
    "iso_space_comma": lambda d: _f(d, "%Y-%m-%d %H:%M:%S,~F", 3),
    "iso_t_micro": lambda d: _f(d, "%Y-%m-%dT%H:%M:%S.~F", 6),
    "apache": lambda d: _f(d, "%d/%b/%Y:%H:%M:%S"),
    "syslog": lambda d: _f(d, "%b %d %H:%M:%S").replace(" 0", "  ", 1)
    if d.day < 10 else _f(d, "%b %d %H:%M:%S"),
    "dotted_dmy": lambda d: _f(d, "%d.%m.%Y %H:%M:%S.~F", 3),
    "slashed_ymd": lambda d: _f(d, "%Y/%m/%d %H:%M:%S.~F", 3),
    "ctime": lambda d: _f(d, "%a %b %d %H:%M:%S %Y"),
    "us_mdy": lambda d: _f(d, "%m/%d/%Y %H:%M:%S"),
    "eu_dmy": lambda d: _f(d, "%d/%m/%Y %H:%M:%S.~F", 3),
    "tomcat": lambda d: _f(d, "%d-%b-%Y %H:%M:%S.~F", 3),
    "iso_basic": lambda d: _f(d, "%Y%m%dT%H%M%S.~F", 3),
    "month_name_first": lambda d: _f(d, "%b %d, %Y %H:%M:%S"),
}
# Layouts without a year: a reader must take the year from elsewhere (the bundle's dated
# records, or the most recent past).
YEARLESS = {"syslog"}
# Layouts whose day/month order is only decidable when the day is above 12.
NEEDS_BIG_DAY = {"us_mdy", "eu_dmy"}


def text_time_layouts(day):
    return [k for k in sorted(TEXT_TIMES) if day > 12 or k not in NEEDS_BIG_DAY]


def text_time(t, layout, offset_min):
    return TEXT_TIMES[layout](local(t, offset_min))


def zone_suffix(offset_min, abbr, style):
    """What follows a text time to name its zone: '', ' +0200', '+02:00', ' CEST', 'Z'."""
    if style == "none":
        return ""
    if style == "abbr":
        return " " + abbr
    if style == "compact":
        return " " + offset_text(offset_min, "compact")
    if style == "colon":
        return offset_text(offset_min, "colon")
    return "Z"


def epoch_text(t, unit):
    if unit == "s":
        return f"{t:.3f}"
    if unit == "s_int":
        return str(int(t))
    if unit == "ms":
        return str(int(round(t * 1000)))
    if unit == "us":
        return str(int(round(t * 1e6)))
    return str(int(round(t * 1e6)) * 1000)  # ns
