"""Keeping CPython's full garbage collections off the server's long-lived heap.

A full (generation 2) collection walks every object the collector tracks. A running server
holds about 100,000 of them that live as long as the process or the unseal does (modules,
classes, the router and its backends, parsed policies); under the benchmark's load a full
collection came about once a second and took 13-35 ms, every request in flight waiting for
it, which was most of the p99 latency (docs/performance.md). So once the server has started,
and again after each unseal, what is alive is collected once and moved to the permanent
generation (`gc.freeze`): later full collections walk only what was allocated since. Sealing
thaws it (`gc.unfreeze`), so that the mounts and caches the seal let go can be collected.

Process-wide, so only the server command uses it (not the Core, which tests build by the
hundred in one process).
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect what is garbage now, then exempt everything left from later collections."""
    gc.collect()
    gc.freeze()


def thaw() -> None:
    """Make the frozen objects collectable again."""
    gc.unfreeze()


__all__ = ["settle", "thaw"]
