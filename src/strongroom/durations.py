"""Vault's value coercions shared by config parsing and the path framework (pure).

`parse_duration` follows Vault's parseutil.ParseDurationSecond: an integer (or a string of
digits) is seconds; otherwise a Go duration string ("1h30m", "90s", "1.5h"), with Vault's extra
"d" (day) unit. `parse_bool` follows Go's strconv.ParseBool as Vault uses it.
"""

from __future__ import annotations

import re

_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
    "d": 86400.0,
}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)")
_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def parse_duration(value: object) -> int:
    """Seconds from an int, a digit string or a duration string; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"invalid duration {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != int(value):
            raise ValueError(f"invalid duration {value!r}")
        return int(value)
    if not isinstance(value, str):
        raise ValueError(f"invalid duration {value!r}")
    text = value.strip()
    if text == "":
        return 0
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    sign = 1
    if text[0] in "+-":
        sign = -1 if text[0] == "-" else 1
        text = text[1:]
    pos = 0
    total = 0.0
    while pos < len(text):
        match = _PART.match(text, pos)
        if match is None:
            raise ValueError(f"invalid duration {value!r}")
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if pos == 0:
        raise ValueError(f"invalid duration {value!r}")
    return sign * int(total)


def parse_bool(value: object) -> bool:
    """A bool from a bool, 0/1, or Go's ParseBool strings; ValueError otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
    raise ValueError(f"invalid boolean {value!r}")


def format_duration(seconds: int) -> str:
    """Go's time.Duration.String() for whole seconds: 0s, 45s, 1m30s, 768h0m0s."""
    if seconds == 0:
        return "0s"
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{sign}{minutes}m{secs}s"
    return f"{sign}{secs}s"


def format_duration_short(seconds: int) -> str:
    """format_duration without trailing zero units, as OpenBao's TTL warnings print them:
    2h, 24h, 5m, 1h0m5s, 277h46m40s."""
    text = format_duration(seconds)
    if text.endswith("m0s"):
        text = text[:-2]
    if text.endswith("h0m"):
        text = text[:-2]
    return text


def ttl_capped_warning(wanted: int, granted: int) -> str:
    """vault-compat: the warning when a requested TTL is cut to the effective max TTL."""
    return (
        f'TTL of "{format_duration_short(wanted)}" exceeded the effective max_ttl of '
        f'"{format_duration_short(granted)}"; TTL value is capped accordingly'
    )


__all__ = [
    "format_duration",
    "format_duration_short",
    "parse_bool",
    "parse_duration",
    "ttl_capped_warning",
]
