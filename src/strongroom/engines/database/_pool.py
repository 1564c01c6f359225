"""A small connection pool with OpenBao's limits: `max_open_connections` at once,
`max_idle_connections` kept for reuse, and `max_connection_lifetime` after which a connection is
closed instead of reused. A connection whose work raised is closed, never reused."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

C = TypeVar("C")


@dataclass(frozen=True, slots=True)
class PoolLimits:
    max_open: int = 4
    max_idle: int = 0  # 0: as many as max_open
    max_lifetime: float = 0.0  # seconds; 0: no limit

    @property
    def idle_cap(self) -> int:
        return self.max_open if self.max_idle <= 0 else min(self.max_idle, self.max_open)


@dataclass(slots=True)
class _Idle(Generic[C]):
    connection: C
    born: float


class Pool(Generic[C]):
    """Connections made by `connect`, closed by `close`."""

    def __init__(
        self,
        connect: Callable[[], Awaitable[C]],
        close: Callable[[C], Awaitable[None]],
        limits: PoolLimits,
    ) -> None:
        self._connect = connect
        self._close = close
        self._limits = limits
        self._slots = asyncio.Semaphore(max(1, limits.max_open))
        self._idle: list[_Idle[C]] = []
        self._closed = False

    def _expired(self, born: float) -> bool:
        lifetime = self._limits.max_lifetime
        return lifetime > 0 and time.monotonic() - born >= lifetime

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[C]:
        """A connection for the block; returned to the pool only if the block succeeded."""
        async with self._slots:
            held = await self._take()
            try:
                yield held.connection
            except BaseException:
                await self._discard(held.connection)
                raise
            await self._give_back(held)

    async def _take(self) -> _Idle[C]:
        while self._idle:
            held = self._idle.pop()
            if not self._expired(held.born):
                return held
            await self._discard(held.connection)
        return _Idle(await self._connect(), time.monotonic())

    async def _give_back(self, held: _Idle[C]) -> None:
        if self._closed or self._expired(held.born) or len(self._idle) >= self._limits.idle_cap:
            await self._discard(held.connection)
        else:
            self._idle.append(held)

    async def _discard(self, connection: C) -> None:
        try:
            await self._close(connection)
        except Exception:  # a broken connection may fail to close; it is gone either way
            pass

    async def close(self) -> None:
        """Close the idle connections; connections in use close when given back."""
        self._closed = True
        idle, self._idle = self._idle, []
        for held in idle:
            await self._discard(held.connection)


__all__ = ["Pool", "PoolLimits"]
