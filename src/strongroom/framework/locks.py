"""`NamedLocks`: one `asyncio.Lock` per name, for a backend's read-modify-write sequences
(check-and-set, version numbering, one-use secret IDs). Locks are made on demand and dropped
when nobody holds or waits for them. They serialise within one process only."""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from types import TracebackType


@dataclass(slots=True)
class _Slot:
    lock: asyncio.Lock
    users: int = 0


class NamedLocks:
    """One `asyncio.Lock` per name."""

    __slots__ = ("_slots",)

    def __init__(self) -> None:
        self._slots: dict[str, _Slot] = {}

    def hold(self, name: str) -> AbstractAsyncContextManager[None]:
        """Hold the lock called `name` for the duration of the block."""
        return _Hold(self._slots, name)

    def __len__(self) -> int:
        """How many names have a lock right now (held or awaited)."""
        return len(self._slots)


class _Hold:
    """`NamedLocks.hold`: a plain class, cheaper than an `asynccontextmanager` generator."""

    __slots__ = ("_name", "_slot", "_slots")

    def __init__(self, slots: dict[str, _Slot], name: str) -> None:
        self._slots = slots
        self._name = name
        self._slot: _Slot | None = None

    async def __aenter__(self) -> None:
        slot = self._slots.get(self._name)
        if slot is None:
            slot = self._slots[self._name] = _Slot(asyncio.Lock())
        slot.users += 1
        try:
            await slot.lock.acquire()
        except BaseException:
            self._leave(slot)
            raise
        self._slot = slot

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        slot = self._slot
        if slot is not None:
            self._slot = None
            slot.lock.release()
            self._leave(slot)

    def _leave(self, slot: _Slot) -> None:
        slot.users -= 1
        if slot.users == 0:
            del self._slots[self._name]


__all__ = ["NamedLocks"]
