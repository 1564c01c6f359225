"""What every KV handler shares: the injected clock and the per-key write locks.

Must not hold data: storage arrives on each request (`request.storage`), so one backend can
serve its mount's view without caching anything that could go stale.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field

from strongroom.clock import Clock
from strongroom.engines.kv._messages import ERR_TRAILING_SLASH
from strongroom.engines.kv._model import now_us
from strongroom.errors import InvalidRequest
from strongroom.logical import Request


@dataclass(slots=True)
class _Slot:
    lock: asyncio.Lock
    users: int = 0


class KeyLocks:
    """One `asyncio.Lock` per name, created on demand and dropped once nobody holds or awaits it.

    Read-modify-write sequences (check-and-set, version numbering, partial config updates) run
    under the lock of what they modify, so two concurrent writes with the same `cas` cannot
    both succeed.
    """

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
        return len(self._slots)


@dataclass(frozen=True, slots=True)
class KVContext:
    """The engine's injected dependencies."""

    clock: Clock
    locks: KeyLocks = field(default_factory=KeyLocks)

    def now(self) -> int:
        """Wall time in microseconds."""
        return now_us(self.clock)

    def key_lock(self, key: str) -> AbstractAsyncContextManager[None]:
        """Serialises changes to one key (its metadata and versions)."""
        return self.locks.hold("key:" + key)

    def config_lock(self) -> AbstractAsyncContextManager[None]:
        """Serialises partial updates of the mount config."""
        return self.locks.hold("config")


def check_writable(request: Request) -> None:
    """Vault refuses update/create/patch on a path ending in "/" (the mount root included)."""
    if request.path == "" or request.path.endswith("/"):
        raise InvalidRequest(ERR_TRAILING_SLASH)


__all__ = ["KVContext", "KeyLocks", "check_writable"]
