"""Keeping CPython's full garbage collections off the server's long-lived heap.

A full (generation 2) collection walks every object the collector tracks. A running server
holds about 100,000 of them that live as long as the process or the unseal does (modules,
classes, the router and its backends, parsed policies); under the benchmark's load a full
collection came about once a second and took 13-35 ms, every request in flight waiting for
it, which was most of the p99 latency (docs/performance.md). So once the server has started,
and again after each unseal, what is alive is collected once and moved to the permanent
generation (`gc.freeze`): later full collections walk only what was allocated since. Sealing
thaws it (`gc.unfreeze`), so that the mounts and caches the seal let go can be collected.

Frozen objects that later become garbage in a reference cycle (a disabled mount's backend,
say) are only collected once thawed, so the server also refreshes the freeze every
`REFRESH_SECONDS` (one full collection, tens of milliseconds, every ten minutes).

Process-wide, so only the server command uses it (not the Core, which tests build by the
hundred in one process).
"""

from __future__ import annotations

import asyncio
import gc

REFRESH_SECONDS = 600.0


def settle() -> None:
    """Collect what is garbage now, then exempt everything left from later collections."""
    gc.collect()
    gc.freeze()


def thaw() -> None:
    """Make the frozen objects collectable again."""
    gc.unfreeze()


def refresh() -> None:
    """Thaw, collect what became garbage meanwhile, and freeze what is left."""
    thaw()
    settle()


async def refresh_every(seconds: float = REFRESH_SECONDS) -> None:
    """`refresh` every `seconds`, until cancelled."""
    while True:
        await asyncio.sleep(seconds)
        refresh()


__all__ = ["REFRESH_SECONDS", "refresh", "refresh_every", "settle", "thaw"]
