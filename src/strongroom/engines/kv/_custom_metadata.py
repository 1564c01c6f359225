"""`custom_metadata` of kv v2 keys: coercion to string values and OpenBao's limits. Pure.

Limits (observed on OpenBao 2.7): at most 64 keys; each key 1..128 bytes and each value
1..512 bytes of UTF-8. Count errors stop validation; length errors are all reported, in one
go-multierror text.
"""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.engines.kv._merge_patch import merge_patch
from strongroom.engines.kv._messages import (
    ERR_CM_KEY,
    ERR_CM_NOT_STRING,
    ERR_CM_TOO_MANY,
    ERR_CM_TYPE,
    ERR_CM_VALUE,
    multierror,
)
from strongroom.errors import InvalidRequest
from strongroom.framework import FieldType, coerce
from strongroom.types import JSON

MAX_KEYS = 64
MAX_KEY_LENGTH = 128
MAX_VALUE_LENGTH = 512


def _reject_nested(value: JSON) -> None:
    if isinstance(value, dict):
        raise InvalidRequest(ERR_CM_TYPE.format("map[string]interface {}"))
    if isinstance(value, list):
        raise InvalidRequest(ERR_CM_TYPE.format("[]interface {}"))


def _string(value: JSON) -> str:
    """Vault's weak decoding into a string: numbers and bools convert, null is ""."""
    _reject_nested(value)
    text = coerce(FieldType.STRING, value)
    return str(text)


def coerce_custom_metadata(raw: Mapping[str, JSON]) -> dict[str, str]:
    """String values for a POST body's `custom_metadata`; 400 for nested values."""
    return {str(key): _string(value) for key, value in raw.items()}


def patch_custom_metadata(
    current: Mapping[str, str], patch: Mapping[str, JSON] | None
) -> dict[str, str]:
    """Merge-patch `custom_metadata` (null removes a key; null as a whole clears it).

    Unlike a POST, a PATCH does no weak decoding: a number or bool value is refused (OpenBao
    fails JSON decoding of the merged document, in key order, with a 500; we answer 400).
    """
    if patch is None:
        return {}
    for value in patch.values():
        _reject_nested(value)
    merged = dict(merge_patch(dict(current), dict(patch)))
    for key in sorted(merged):
        value = merged[key]
        if not isinstance(value, str):
            kind = "bool" if isinstance(value, bool) else "number"
            raise InvalidRequest(multierror([ERR_CM_NOT_STRING.format(kind, key)]))
    return merged


def validate_custom_metadata(metadata: Mapping[str, str]) -> None:
    """Raise InvalidRequest with every violated limit."""
    if len(metadata) > MAX_KEYS:
        raise InvalidRequest(multierror([ERR_CM_TOO_MANY.format(MAX_KEYS, len(metadata))]))
    problems: list[str] = []
    for key, value in metadata.items():
        key_length = len(key.encode("utf-8"))
        if not 0 < key_length <= MAX_KEY_LENGTH:
            problems.append(ERR_CM_KEY.format(key, key_length, MAX_KEY_LENGTH))
        value_length = len(value.encode("utf-8"))
        if not 0 < value_length <= MAX_VALUE_LENGTH:
            problems.append(ERR_CM_VALUE.format(key, value_length, MAX_VALUE_LENGTH))
    if problems:
        raise InvalidRequest(multierror(problems))


__all__ = [
    "MAX_KEYS",
    "MAX_KEY_LENGTH",
    "MAX_VALUE_LENGTH",
    "coerce_custom_metadata",
    "patch_custom_metadata",
    "validate_custom_metadata",
]
