"""`NamedLocks`: one `asyncio.Lock` per name, for a backend's read-modify-write sequences
(check-and-set, version numbering, one-use secret IDs). Locks are made on demand and dropped
when nobody holds or waits for them. They serialise within one process only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass


@dataclass(slots=True)
class _Slot:
    lock: asyncio.Lock
    users: int = 0


class NamedLocks:
    """One `asyncio.Lock` per name."""

    __slots__ = ("_slots",)

    def __init__(self) -> None:
        self._slots: dict[str, _Slot] = {}

    @asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[None]:
        """Hold the lock called `name` for the duration of the block."""
        slot = self._slots.get(name)
        if slot is None:
            slot = self._slots[name] = _Slot(asyncio.Lock())
        slot.users += 1
        try:
            async with slot.lock:
                yield
        finally:
            slot.users -= 1
            if slot.users == 0:
                del self._slots[name]

    def __len__(self) -> int:
        """How many names have a lock right now (held or awaited)."""
        return len(self._slots)


__all__ = ["NamedLocks"]
