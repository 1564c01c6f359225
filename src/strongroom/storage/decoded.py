"""Reads of decoded values: `get_decoded(storage, key, decode)`, which a storage layer that
can remember decoded values (the barrier, through its views) answers without decrypting and
decoding again while the stored value is unchanged. Any other storage reads and decodes.

`decode` must be a pure function of the bytes it is given, and its result must be treated as
immutable by every caller: the same object is handed to every reader of an unchanged value.
Only values that may sit decoded in memory are read this way (metadata, settings), never
secret data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from strongroom.storage._protocol import Storage

T = TypeVar("T")


async def get_decoded(storage: Storage, key: str, decode: Callable[[bytes], T]) -> T | None:
    """`decode(value)` of the entry at `key`, or None when there is none."""
    method = getattr(storage, "get_decoded", None)
    if method is None:
        entry = await storage.get(key)
        return None if entry is None else decode(entry.value)
    decoded: T | None = await method(key, decode)
    return decoded


__all__ = ["get_decoded"]
