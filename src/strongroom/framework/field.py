"""Declared request fields and Vault's coercion rules (sdk/framework field types). Pure.

Coercion follows Vault's weak decoding: a duration is 3600 or "1h"; a comma-string-slice is
"a, b" or ["a", "b"]; a bool is true, "true" or 1; numbers given as strings are accepted.

A value that does not convert raises ValueError with the reason OpenBao gives (its decoder's
words, Go type names included: JSON numbers are `json.Number` there). The reason never repeats
a string the client sent, since a misplaced secret would otherwise reach the audit log's
`error` field in the clear; only numbers and durations are quoted, as OpenBao quotes them.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from strongroom.durations import parse_bool, parse_duration
from strongroom.types import JSON


class FieldType(enum.StrEnum):
    """Vault's field types; the value is the OpenAPI-facing name."""

    STRING = "string"
    LOWER_CASE_STRING = "lowercase_string"
    NAME_STRING = "name_string"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DURATION = "duration"  # OpenBao's TypeDurationSecond: never negative
    SIGNED_DURATION = "signed_duration"  # TypeSignedDurationSecond
    MAP = "map"
    KV_PAIRS = "kvpairs"
    SLICE = "slice"
    STRING_SLICE = "string_slice"
    COMMA_STRING_SLICE = "comma_string_slice"
    COMMA_INT_SLICE = "comma_int_slice"
    HEADER = "header"


_NAME = re.compile(r"\w(([\w.@-]+)?\w)?")


@dataclass(frozen=True, slots=True)
class Field:
    """One declared parameter of a path."""

    type: FieldType
    description: str = ""
    default: JSON = None
    required: bool = False
    allowed_values: tuple[JSON, ...] = ()
    deprecated: bool = False
    query: bool = False
    sensitive: bool = field(default=False)


_GO_MAP = "map[string]interface {}"


def _go_type(value: JSON) -> str:
    """The Go type a decoded JSON value has in OpenBao (numbers stay `json.Number`)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "json.Number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, dict):
        return _GO_MAP
    return "interface {}"


def _unconvertible(want: str, value: JSON, where: str = "") -> ValueError:
    got = _go_type(value)
    return ValueError(f"'{where}' expected type '{want}', got unconvertible type '{got}'")


def _unparsable(want: str, parser: str) -> ValueError:
    return ValueError(f"'' cannot parse value as '{want}': strconv.{parser}: invalid syntax")


def _string(value: JSON) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    raise _unconvertible("string", value)


def _int(value: JSON) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _unparsable("int", "ParseInt")
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0
        try:
            return int(text, 0) if text.lower().startswith(("0x", "0o", "0b")) else int(text)
        except ValueError:
            raise _unparsable("int", "ParseInt") from None
    raise _unconvertible("int", value)


def _float(value: JSON) -> float:
    if isinstance(value, bool):
        raise _unconvertible("float64", value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise _unparsable("float64", "ParseFloat") from None
    raise _unconvertible("float64", value)


def _bool(value: JSON) -> bool:
    if isinstance(value, list | dict):
        raise _unconvertible("bool", value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return parse_bool(value)  # numbers as Go's ParseBool reads their text: 0 and 1 only
    except ValueError:
        raise _unparsable("bool", "ParseBool") from None


def _signed_duration(value: JSON) -> int:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError("could not parse duration from input")
    try:
        return parse_duration(value)
    except ValueError:
        raise ValueError(go_duration_error(str(value).strip())) from None


def _duration(value: JSON) -> int:
    seconds = _signed_duration(value)
    if seconds < 0:
        raise ValueError(f"cannot provide negative value '{seconds}'")
    return seconds


def go_duration_error(text: str) -> str:
    """What Go's time.ParseDuration says of `text` (which it refuses)."""
    quoted = json.dumps(text, ensure_ascii=False)
    rest = text[1:] if text[:1] in ("-", "+") else text
    if rest == "":
        return f"time: invalid duration {quoted}"
    while rest:
        number = re.match(r"[0-9]*(\.[0-9]*)?", rest)
        digits = number.group(0) if number else ""
        if digits.strip(".") == "":
            return f"time: invalid duration {quoted}"
        rest = rest[len(digits) :]
        unit = re.match(r"[^0-9.]*", rest)
        name = unit.group(0) if unit else ""
        if name == "":
            return f"time: missing unit in duration {quoted}"
        if name not in _GO_UNITS:
            unknown = json.dumps(name, ensure_ascii=False)
            return f"time: unknown unit {unknown} in duration {quoted}"
        rest = rest[len(name) :]
    return f"time: invalid duration {quoted}"


_GO_UNITS = frozenset({"ns", "us", "µs", "μs", "ms", "s", "m", "h", "d"})


def _map(value: JSON) -> dict[str, JSON]:
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value.strip() == "":
        return {}
    raise _unconvertible(_GO_MAP, value)


def _kv_pairs(value: JSON) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): _string(v) for k, v in value.items()}
    items = _string_slice(value)
    pairs: dict[str, str] = {}
    for item in items:
        key, sep, val = item.partition("=")
        if not sep or not key:
            raise ValueError(f"invalid key value pair {item!r}")
        pairs[key] = val
    return pairs


def _slice(value: JSON) -> list[JSON]:
    if isinstance(value, list):
        return value
    return [value]


def _items(values: list[JSON]) -> list[str]:
    out = []
    for index, item in enumerate(values):
        if isinstance(item, list | dict) or item is None:
            raise _unconvertible("string", item, f"[{index}]")
        out.append(_string(item))
    return out


def _string_slice(value: JSON) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return _items(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                decoded = json.loads(text)
            except ValueError:
                decoded = None
            if isinstance(decoded, list):
                return _items(decoded)
        return [] if text == "" else [value]
    return [_string(value)]


def _comma_string_slice(value: JSON) -> list[str]:
    if isinstance(value, str) and not value.strip().startswith("["):
        return [part.strip() for part in value.split(",") if part.strip() != ""]
    return [part.strip() for part in _string_slice(value)]


def _comma_int_slice(value: JSON) -> list[int]:
    if isinstance(value, str):
        return [_int(part) for part in value.split(",") if part.strip() != ""]
    if isinstance(value, list):
        return [_int(v) for v in value]
    return [_int(value)]


def _header(value: JSON) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise _unconvertible(_GO_MAP, value)
    return {str(k): _string_slice(v) for k, v in value.items()}


def _name(value: JSON) -> str:
    text = _string(value)
    if _NAME.fullmatch(text) is None:
        raise ValueError("value does not match the name pattern")
    return text


_COERCE: Mapping[FieldType, Callable[[JSON], JSON]] = {
    FieldType.STRING: _string,
    FieldType.LOWER_CASE_STRING: lambda v: _string(v).lower(),
    FieldType.NAME_STRING: _name,
    FieldType.INT: _int,
    FieldType.FLOAT: _float,
    FieldType.BOOL: _bool,
    FieldType.DURATION: _duration,
    FieldType.SIGNED_DURATION: _signed_duration,
    FieldType.MAP: _map,
    FieldType.KV_PAIRS: _kv_pairs,
    FieldType.SLICE: _slice,
    FieldType.STRING_SLICE: _string_slice,
    FieldType.COMMA_STRING_SLICE: _comma_string_slice,
    FieldType.COMMA_INT_SLICE: _comma_int_slice,
    FieldType.HEADER: _header,
}

_ZERO: Mapping[FieldType, Callable[[], JSON]] = {
    FieldType.STRING: str,
    FieldType.LOWER_CASE_STRING: str,
    FieldType.NAME_STRING: str,
    FieldType.INT: int,
    FieldType.FLOAT: float,
    FieldType.BOOL: bool,
    FieldType.DURATION: int,
    FieldType.SIGNED_DURATION: int,
    FieldType.MAP: dict,
    FieldType.KV_PAIRS: dict,
    FieldType.SLICE: list,
    FieldType.STRING_SLICE: list,
    FieldType.COMMA_STRING_SLICE: list,
    FieldType.COMMA_INT_SLICE: list,
    FieldType.HEADER: dict,
}


def coerce(field_type: FieldType, value: JSON) -> JSON:
    """Convert `value` to `field_type` by Vault's rules; ValueError with a reason otherwise."""
    if value is None:
        return _ZERO[field_type]()
    return _COERCE[field_type](value)


def zero_value(field_type: FieldType) -> JSON:
    """The value a missing field without a default reads as."""
    return _ZERO[field_type]()


__all__ = ["Field", "FieldType", "coerce", "go_duration_error", "zero_value"]
