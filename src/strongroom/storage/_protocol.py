"""The physical storage Protocol: opaque bytes under string keys. Knows nothing of encryption.

Semantics copied from Vault's physical.Backend:
- keys are `/`-separated paths; `list(prefix)` returns the immediate children of `prefix`
  (which is empty or ends in `/`): leaf names as-is, and each deeper "folder" once, with a
  trailing `/`, sorted.
- `put` overwrites; `delete` of a missing key is not an error; `get` of a missing key is None.
- a `put`/`delete`/`transaction` that returned is durable (on disk, fsynced, for disk backends).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Entry:
    """One stored value."""

    key: str
    value: bytes


@dataclass(frozen=True, slots=True)
class TxnOp:
    """One operation of an atomic transaction: a put (with `value`) or a delete."""

    op: Literal["put", "delete"]
    key: str
    value: bytes = b""


@runtime_checkable
class Storage(Protocol):
    """Physical storage backend."""

    async def get(self, key: str) -> Entry | None: ...

    async def put(self, entry: Entry) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def list(self, prefix: str) -> list[str]: ...

    async def transaction(self, ops: Sequence[TxnOp]) -> None:
        """Apply every op atomically: all or none are durable when this returns."""
        ...

    async def close(self) -> None: ...


class HALock(Protocol):
    """An exclusive lock across nodes; the holder is the active node."""

    async def acquire(self) -> bool:
        """Wait until the lock is held (True) or the attempt was abandoned (False)."""
        ...

    async def release(self) -> None: ...

    async def held_value(self) -> tuple[bool, str]:
        """(held by anyone, the holder's advertised value, e.g. its api_addr)."""
        ...


@runtime_checkable
class HAStorage(Protocol):
    """Optional capability of a backend shared by several nodes."""

    def ha_enabled(self) -> bool: ...

    def ha_lock(self, key: str, value: str) -> HALock: ...


InvalidateCallback = Callable[[str], None]


@runtime_checkable
class Invalidating(Protocol):
    """Optional capability: the backend reports keys changed underneath this node (by another
    node), so that in-memory caches above it can drop them."""

    def on_invalidate(self, callback: InvalidateCallback) -> None: ...


__all__ = [
    "Entry",
    "HALock",
    "HAStorage",
    "InvalidateCallback",
    "Invalidating",
    "Storage",
    "TxnOp",
]
