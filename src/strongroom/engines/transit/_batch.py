"""Shared request plumbing: single versus `batch_input` items, per-item errors, base64
fields and key selection. Pure apart from what handlers pass in.

A batch item that fails carries "error" and the others succeed; which status the whole batch
gets is the endpoint's business (encrypt/decrypt answer 400, sign/verify/hmac answer 200).
"""

from __future__ import annotations

from collections.abc import Callable

from strongroom.engines.transit._encoding import b64decode_field
from strongroom.engines.transit._messages import ERR_MISSING_BATCH, ERR_MISSING_CONTEXT
from strongroom.engines.transit._policy import Policy
from strongroom.errors import InvalidRequest
from strongroom.framework import FieldData
from strongroom.types import JSON, JSONDict

Item = JSONDict


def items_of(data: FieldData, fields: tuple[str, ...]) -> tuple[list[Item], bool]:
    """(items, is_batch). Without `batch_input` the request itself is the one item."""
    raw, sent = data.get_ok("batch_input")
    if not sent:
        return [{f: data.raw[f] for f in fields if f in data.raw}], False
    if not isinstance(raw, list) or not raw:
        raise InvalidRequest(ERR_MISSING_BATCH)
    items: list[Item] = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise InvalidRequest("failed to parse batch input: expected a map per item")
        items.append(entry)
    return items, True


def text(item: Item, key: str) -> str:
    """A string item field ("" when absent)."""
    value: JSON = item.get(key)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def integer(item: Item, key: str) -> int:
    """An integer item field (0 when absent)."""
    value: JSON = item.get(key)
    if value in (None, ""):
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidRequest(f"invalid {key}: expected an integer") from None


def flag(item: Item, key: str, default: bool = False) -> bool:
    """A boolean item field."""
    value: JSON = item.get(key)
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("1", "t", "true")
    return bool(value)


def context_of(policy: Policy, item: Item) -> bytes:
    """The decoded derivation context; required for derived keys."""
    encoded = text(item, "context")
    context = b64decode_field(encoded) if encoded else b""
    if policy.derived and not context:
        raise InvalidRequest(ERR_MISSING_CONTEXT)
    return context


def run(
    items: list[Item], work: Callable[[Item], JSONDict], failed: Callable[[str], JSONDict]
) -> tuple[list[JSONDict], bool]:
    """(results, any_failed). `failed(message)` shapes an error result; every result gets the
    item's `reference` back."""
    results: list[JSONDict] = []
    any_failed = False
    for item in items:
        try:
            result = work(item)
        except InvalidRequest as exc:
            result = failed(str(exc))
            any_failed = True
        result["reference"] = text(item, "reference")
        results.append(result)
    return results, any_failed


__all__ = ["Item", "context_of", "flag", "integer", "items_of", "run", "text"]
