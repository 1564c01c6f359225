"""Declared request fields and Vault's coercion rules (sdk/framework field types). Pure.

Coercion follows Vault's weak decoding: a duration is 3600 or "1h"; a comma-string-slice is
"a, b" or ["a", "b"]; a bool is true, "true" or 1; numbers given as strings are accepted.
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
    DURATION = "duration"
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


def _string(value: JSON) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    raise ValueError("expected a string")


def _int(value: JSON) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0
        try:
            return int(text, 0) if text.lower().startswith(("0x", "0o", "0b")) else int(text)
        except ValueError:
            pass
    raise ValueError("expected an integer")


def _float(value: JSON) -> float:
    if isinstance(value, bool):
        raise ValueError("expected a number")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    raise ValueError("expected a number")


def _bool(value: JSON) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return value != 0
    return parse_bool(value)


def _duration(value: JSON) -> int:
    seconds = parse_duration(value)
    return seconds


def _map(value: JSON) -> dict[str, JSON]:
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value.strip() == "":
        return {}
    raise ValueError("expected a map")


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


def _string_slice(value: JSON) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [_string(v) for v in value]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                decoded = json.loads(text)
            except ValueError:
                decoded = None
            if isinstance(decoded, list):
                return [_string(v) for v in decoded]
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
        raise ValueError("expected a map of header values")
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


__all__ = ["Field", "FieldType", "coerce", "zero_value"]
