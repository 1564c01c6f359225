"""Parsing the `metadata` of a secret ID: a string holding a JSON object of strings,
the same base64-encoded, or `k1=v1,k2=v2` pairs (OpenBao's arbitrary key-values). Pure."""

from __future__ import annotations

import base64
import binascii
import json

from strongroom.auth.approle._messages import (
    ERR_METADATA,
    ERR_METADATA_FORMAT,
    ERR_METADATA_PAIR,
    ERR_METADATA_VALUE,
)
from strongroom.errors import InvalidRequest
from strongroom.types import JSON


def parse_metadata(text: str) -> dict[str, str]:
    """The key-value pairs in `text`; 400 with OpenBao's message when it is none of the forms."""
    text = text.strip()
    if not text:
        return {}
    decoded = _base64(text)
    if decoded is not None:
        text = decoded
    pairs = _json_object(text)
    if pairs is None:
        pairs = _key_values(text)
    for key, value in pairs.items():
        if key and not value:
            raise InvalidRequest(ERR_METADATA.format(ERR_METADATA_VALUE.format(key)))
    return pairs


def _base64(text: str) -> str | None:
    try:
        return base64.b64decode(text, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None


def _json_object(text: str) -> dict[str, str] | None:
    try:
        value: JSON = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    # Go decodes JSON null into a string as "" (then rejected as an empty value).
    if not all(v is None or isinstance(v, str) for v in value.values()):
        return None
    return {str(k): "" if v is None else v for k, v in value.items()}


def _key_values(text: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        parts = item.split("=")
        if len(parts) != 2:
            raise InvalidRequest(ERR_METADATA.format(ERR_METADATA_FORMAT))
        key, value = parts[0].strip(), parts[1].strip()
        if not key or not value:
            raise InvalidRequest(ERR_METADATA.format(ERR_METADATA_PAIR.format(key, value)))
        pairs[key] = value
    return pairs


__all__ = ["parse_metadata"]
