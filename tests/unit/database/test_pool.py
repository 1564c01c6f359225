"""The connection pool's limits. The "connections" here are plain objects: the pool is
generic and never looks inside them (the plugins' tests use real databases)."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from strongroom.engines.database._pool import Pool, PoolLimits


class Counter:
    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.opened: list[int] = []
        self.closed: list[int] = []

    async def connect(self) -> int:
        conn = next(self.ids)
        self.opened.append(conn)
        return conn

    async def close(self, conn: int) -> None:
        self.closed.append(conn)


async def test_connections_are_reused_up_to_the_idle_cap() -> None:
    counter = Counter()
    pool = Pool(counter.connect, counter.close, PoolLimits(max_open=4, max_idle=1))
    async with pool.connection() as a:
        async with pool.connection() as b:
            assert a != b
    # the first given back (b) stays idle; the second finds the idle slot taken and closes
    assert counter.closed == [a]
    async with pool.connection() as again:
        assert again == b
    await pool.close()
    assert sorted(counter.closed) == sorted([a, b])


async def test_at_most_max_open_at_once() -> None:
    counter = Counter()
    pool = Pool(counter.connect, counter.close, PoolLimits(max_open=2))
    running = 0
    peak = 0

    async def work() -> None:
        nonlocal running, peak
        async with pool.connection():
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.01)
            running -= 1

    await asyncio.gather(*(work() for _ in range(8)))
    assert peak == 2
    assert len(counter.opened) == 2


async def test_a_connection_whose_work_failed_is_closed_not_reused() -> None:
    counter = Counter()
    pool = Pool(counter.connect, counter.close, PoolLimits(max_open=1))
    with pytest.raises(RuntimeError):
        async with pool.connection():
            raise RuntimeError("query failed")
    assert counter.closed == [1]
    async with pool.connection() as conn:
        assert conn == 2


async def test_connections_older_than_the_lifetime_are_replaced() -> None:
    counter = Counter()
    pool = Pool(counter.connect, counter.close, PoolLimits(max_open=1, max_lifetime=0.05))
    async with pool.connection() as first:
        pass
    await asyncio.sleep(0.06)
    async with pool.connection() as second:
        assert second != first
    assert first in counter.closed
