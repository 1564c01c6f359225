"""Go's `time.Time.Format` layouts (`"2006-01-02T15:04:05Z07:00"`) for the `timestamp` function.

Owns: reading a Go reference-time layout and rendering an aware `datetime` with it. The layout
is rendered directly instead of being translated to `strftime`, so the output never depends on
the C library or the locale. Pure; it must not read the clock.

Recognised tokens (Go's std chunks): `January Jan 1 01 Monday Mon 2 _2 02 __2 002 15 3 03 4 04
5 05 2006 06 PM pm MST`, the zone offsets `Z0700 Z07:00 Z07 Z070000 Z07:00:00` and the same
with `-`, and fractional seconds `.000`/`.999` (or `,000`/`,999`). Everything else is literal.
"""

from __future__ import annotations

import re
from datetime import datetime

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ZONES = ("070000", "07:00:00", "0700", "07:00", "07")
_UNNAMED_ZONE = re.compile(r"UTC[+-]\d\d:\d\d(:\d\d(\.\d+)?)?")


def _word(layout: str, i: int, long: str) -> str | None:
    """Go's `Jan`/`January`, `Mon`/`Monday`: the short form only if no lowercase follows."""
    if layout.startswith(long, i):
        return long
    short = long[:3]
    if layout.startswith(short, i) and not layout[i + 3 : i + 4].islower():
        return short
    return None


def _fraction(layout: str, i: int) -> str | None:
    digit = layout[i + 1 : i + 2]
    if digit not in ("0", "9"):
        return None
    j = i + 1
    while j < len(layout) and layout[j] == digit:
        j += 1
    # vault-compat: Go treats `.000` as a fraction only when no digit follows it.
    if layout[j : j + 1].isdigit():
        return None
    return layout[i:j]


def _std(layout: str, i: int) -> str | None:
    """The layout token starting at `i`, or None if the character there is literal."""
    ch = layout[i]
    rest = layout[i:]
    if ch == "J":
        return _word(layout, i, "January")
    if ch == "M":
        return _word(layout, i, "Monday") or ("MST" if rest.startswith("MST") else None)
    if ch == "0":
        if rest[1:2] in ("1", "2", "3", "4", "5", "6"):
            return rest[:2]
        return "002" if rest.startswith("002") else None
    if ch in "12":
        long = "15" if ch == "1" else "2006"
        return long if rest.startswith(long) else ch
    if ch == "_":
        if rest.startswith("_2") and not rest.startswith("_2006"):
            return "_2"
        return "__2" if rest.startswith("__2") else None
    if ch in "345":
        return ch
    if rest.startswith(("PM", "pm")):
        return rest[:2]
    if ch in "-Z":
        return next((ch + zone for zone in _ZONES if rest.startswith(ch + zone)), None)
    if ch in ".,":
        return _fraction(layout, i)
    return None


def _zone_offset(token: str, moment: datetime) -> str:
    offset = moment.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    if token.startswith("Z") and seconds == 0:
        return "Z"
    sign = "-" if seconds < 0 else "+"
    hours, remainder = divmod(abs(seconds), 3600)
    minutes, secs = divmod(remainder, 60)
    shape = token[1:]
    sep = ":" if ":" in shape else ""
    parts = [f"{hours:02d}", f"{minutes:02d}", f"{secs:02d}"][: len(shape.replace(":", "")) // 2]
    return sign + sep.join(parts)


def _zone_name(moment: datetime) -> str:
    name = moment.tzname()
    # Go prints a zone without an abbreviation as its offset, e.g. "+0200".
    if not name or _UNNAMED_ZONE.fullmatch(name):
        return _zone_offset("-0700", moment)
    return name


def _render(token: str, moment: datetime) -> str:
    hour12 = moment.hour % 12 or 12
    yday = moment.timetuple().tm_yday
    simple = {
        "January": _MONTHS[moment.month - 1],
        "Jan": _MONTHS[moment.month - 1][:3],
        "Monday": _DAYS[moment.weekday()],
        "Mon": _DAYS[moment.weekday()][:3],
        "1": str(moment.month),
        "01": f"{moment.month:02d}",
        "2": str(moment.day),
        "02": f"{moment.day:02d}",
        "_2": f"{moment.day:2d}",
        "002": f"{yday:03d}",
        "__2": f"{yday:3d}",
        "15": f"{moment.hour:02d}",
        "3": str(hour12),
        "03": f"{hour12:02d}",
        "4": str(moment.minute),
        "04": f"{moment.minute:02d}",
        "5": str(moment.second),
        "05": f"{moment.second:02d}",
        "2006": f"{moment.year:04d}",
        "06": f"{moment.year % 100:02d}",
        "PM": "PM" if moment.hour >= 12 else "AM",
        "pm": "pm" if moment.hour >= 12 else "am",
    }
    if token in simple:
        return simple[token]
    if token == "MST":
        return _zone_name(moment)
    if token[0] in "-Z":
        return _zone_offset(token, moment)
    nanos = f"{moment.microsecond:06d}000"[: min(len(token) - 1, 9)]
    if token[1] == "9":
        nanos = nanos.rstrip("0")
        return token[0] + nanos if nanos else ""
    return token[0] + nanos


def format_time(layout: str, moment: datetime) -> str:
    """`moment.Format(layout)` as Go would print it; `moment` must be timezone-aware."""
    out: list[str] = []
    i = 0
    while i < len(layout):
        token = _std(layout, i)
        if token is None:
            out.append(layout[i])
            i += 1
        else:
            out.append(_render(token, moment))
            i += len(token)
    return "".join(out)


__all__ = ["format_time"]
