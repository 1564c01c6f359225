"""`InmemStorage`: a dict-backed physical backend for tests and `server -dev`.

Owns nothing but a dict of key -> bytes. It must not pretend to be durable: everything is lost
with the process (as Vault's inmem backend). Every method completes without yielding to the
event loop, so each call, including a whole transaction, is atomic with respect to other tasks.
"""

from __future__ import annotations

from collections.abc import Sequence

from strongroom.errors import StorageError
from strongroom.storage._keyspace import check_key, check_ops, check_value, children
from strongroom.storage._protocol import Entry, TxnOp


class InmemStorage:
    """Physical storage in a dict. Not durable; for tests and dev mode."""

    __slots__ = ("_closed", "_data")

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}
        self._closed = False

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError("storage: inmem storage is closed")

    async def get(self, key: str) -> Entry | None:
        """The entry at `key`, or None."""
        self._check_open()
        value = self._data.get(check_key(key))
        return None if value is None else Entry(key, value)

    async def put(self, entry: Entry) -> None:
        """Store `entry`, replacing any value at its key."""
        self._check_open()
        key = check_key(entry.key)
        self._data[key] = check_value(entry.value)

    async def delete(self, key: str) -> None:
        """Remove `key`; a missing key is not an error."""
        self._check_open()
        self._data.pop(check_key(key), None)

    async def list(self, prefix: str) -> list[str]:
        """Immediate children of `prefix`, sorted, folders once with a trailing "/"."""
        self._check_open()
        return children(check_key(prefix, "prefix"), self._data)

    async def transaction(self, ops: Sequence[TxnOp]) -> None:
        """Apply `ops` in order, all or none: every op is validated before any is applied."""
        self._check_open()
        for op, key, value in check_ops(ops):
            if op == "put":
                self._data[key] = value
            else:
                self._data.pop(key, None)

    async def close(self) -> None:
        """Refuse further use (the data is dropped with the object)."""
        self._closed = True


__all__ = ["InmemStorage"]
