"""Key-space rules every storage backend shares: key and value validation, transaction op
checking, and the immediate-children computation behind `list`.

Pure and synchronous: no I/O, no backend knowledge. Messages never include a value, and only
describe *why* a key is invalid, never the key itself (keys can carry user-chosen names).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from strongroom.errors import StorageError
from strongroom.storage._protocol import TxnOp

_MAX_CODE_POINT = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)


def check_key(key: object, where: str = "key") -> str:
    """Return `key` if it is storable on every backend, else raise StorageError.

    Keys must be `str`, valid Unicode (no lone surrogates, which UTF-8 cannot encode) and free
    of NUL, which PostgreSQL's `text` rejects: one rule for all backends keeps data movable
    between them (`operator migrate`).
    """
    if not isinstance(key, str):
        raise StorageError(f"storage: {where} must be a string, not {type(key).__name__}")
    if "\x00" in key:
        raise StorageError(f"storage: {where} must not contain NUL")
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        raise StorageError(f"storage: {where} is not valid Unicode") from None
    return key


def check_value(value: object, where: str = "value") -> bytes:
    """Return `value` as immutable `bytes` (copying a bytearray/memoryview), else raise."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    raise StorageError(f"storage: {where} must be bytes, not {type(value).__name__}")


def check_op(index: int, op: object) -> tuple[str, str, bytes]:
    """Validate one transaction op; return (op, key, value). Raise StorageError naming the
    op's position, so a caller can find its mistake without the message echoing data."""
    if not isinstance(op, TxnOp):
        raise StorageError(f"storage: transaction op {index} is not a TxnOp")
    key = check_key(op.key, f"transaction op {index} key")
    if op.op == "put":
        return "put", key, check_value(op.value, f"transaction op {index} value")
    if op.op == "delete":
        return "delete", key, b""
    raise StorageError(f"storage: transaction op {index} has unsupported op {op.op!r}")


def check_ops(ops: Sequence[TxnOp]) -> list[tuple[str, str, bytes]]:
    """Validate every op of a transaction before any is applied."""
    return [check_op(index, op) for index, op in enumerate(ops)]


def child_name(prefix: str, key: str) -> str | None:
    """The immediate child of `prefix` that `key` lies in: a leaf name, or a folder name with
    a trailing "/". None if `key` is not strictly below `prefix`."""
    if not key.startswith(prefix) or len(key) == len(prefix):
        return None
    slash = key.find("/", len(prefix))
    return key[len(prefix) :] if slash < 0 else key[len(prefix) : slash + 1]


def children(prefix: str, keys: Iterable[str]) -> list[str]:
    """Vault's list semantics over any iterable of keys: immediate children, sorted, each
    folder once (physical.Backend.List)."""
    found = {name for key in keys if (name := child_name(prefix, key)) is not None}
    return sorted(found)


def successor(text: str) -> str | None:
    """The smallest string greater than every string that starts with `text`, or None if
    there is none (`text` is empty or all U+10FFFF). `key >= text AND key < successor(text)`
    is then exactly the keys with prefix `text`, in code-point (= UTF-8 byte) order."""
    chars = list(text)
    while chars:
        code = ord(chars[-1]) + 1
        if code <= _MAX_CODE_POINT:
            if code in _SURROGATES:
                code = _SURROGATES.stop
            chars[-1] = chr(code)
            return "".join(chars)
        chars.pop()
    return None


__all__ = [
    "check_key",
    "check_op",
    "check_ops",
    "check_value",
    "child_name",
    "children",
    "successor",
]
