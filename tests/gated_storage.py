"""`GatedStorage`: in-memory storage that can hold a read open, for cache-race tests.

While `hold` is set, a read of a key starting with `prefix` reads its value, sets `waiting`,
then waits for `gate` before returning: a test can change the stored value in between and
check that the stale value read before the change does not end up in a cache.
"""

from __future__ import annotations

import asyncio

from strongroom.storage import Entry, InmemStorage


class GatedStorage(InmemStorage):
    """Reads of keys under `prefix` wait for `gate` (after reading) while `hold` is set."""

    def __init__(self, prefix: str = "") -> None:
        super().__init__()
        self.prefix = prefix
        self.hold = False
        self.gate = asyncio.Event()
        self.waiting = asyncio.Event()

    async def get(self, key: str) -> Entry | None:
        entry = await super().get(key)
        if self.hold and key.startswith(self.prefix):
            self.waiting.set()
            await self.gate.wait()
        return entry
