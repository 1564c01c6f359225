"""What every transit handler shares: the clock, per-key locks and the parsed-key cache, plus
the storage layout (`policy/<name>` JSON, `cache-config`). Handlers see only `request.storage`.

The cache maps a key name to its parsed `Policy`; every write or delete drops the entry (and
`invalidate` drops it when another node writes), so a read never sees stale material. A load
that raced with a write (it read storage while the write was under way) does not fill the
cache, so an old policy can never be cached after its replacement was stored.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

import orjson

from strongroom.clock import Clock
from strongroom.engines.transit._policy import Policy
from strongroom.errors import InternalError
from strongroom.framework.locks import NamedLocks
from strongroom.logical import Request
from strongroom.storage import Entry, Storage

POLICY_PREFIX = "policy/"
CACHE_CONFIG_KEY = "cache-config"


def storage_of(request: Request) -> Storage:
    """The mount's storage view; the core always sets it on routed requests."""
    if request.storage is None:
        raise InternalError("transit: request has no storage view")
    return request.storage


@dataclass(slots=True)
class TransitContext:
    """The engine's injected dependencies and its cache of parsed keys."""

    clock: Clock
    locks: NamedLocks = field(default_factory=NamedLocks)
    cache: dict[str, Policy] = field(default_factory=dict)
    # Bumped by every write, delete and invalidation (before and after the storage call).
    writes: int = 0

    def now_ns(self) -> int:
        """Wall time in nanoseconds."""
        return int(self.clock.now() * 1_000_000_000)

    def key_lock(self, name: str) -> AbstractAsyncContextManager[None]:
        """Serialises read-modify-write of one key."""
        return self.locks.hold("key:" + name)

    async def load(self, storage: Storage, name: str) -> Policy | None:
        """The named key, from the cache or storage; None when absent."""
        cached = self.cache.get(name)
        if cached is not None:
            return cached
        before = self.writes
        entry = await storage.get(POLICY_PREFIX + name)
        if entry is None:
            return None
        policy = Policy.from_json(orjson.loads(entry.value))
        if self.writes == before:
            self.cache[name] = policy
        return policy

    def cached(self, name: str) -> Policy | None:
        """The parsed key if it is cached (no storage read, no lock needed): a cached policy
        is the stored one, since every change drops it before it writes."""
        return self.cache.get(name)

    async def save(self, storage: Storage, policy: Policy) -> None:
        """Store a key and drop its cache entry (the next load re-reads it)."""
        self._forget(policy.name)
        try:
            await storage.put(Entry(POLICY_PREFIX + policy.name, orjson.dumps(policy.to_json())))
        finally:
            self._forget(policy.name)

    async def delete(self, storage: Storage, name: str) -> None:
        """Drop a key and its cache entry."""
        self._forget(name)
        try:
            await storage.delete(POLICY_PREFIX + name)
        finally:
            self._forget(name)

    def _forget(self, name: str) -> None:
        self.writes += 1
        self.cache.pop(name, None)

    def invalidate(self, key: str) -> None:
        """Storage changed under us (another node): forget the affected key."""
        if key.startswith(POLICY_PREFIX):
            self._forget(key[len(POLICY_PREFIX) :])


async def list_names(storage: Storage) -> list[str]:
    """Key names, sorted."""
    return sorted(await storage.list(POLICY_PREFIX))


__all__ = ["CACHE_CONFIG_KEY", "POLICY_PREFIX", "TransitContext", "list_names", "storage_of"]
