"""What every KV handler shares: the injected clock and the per-key write locks.

Must not hold data: storage arrives on each request (`request.storage`), so one backend can
serve its mount's view without caching anything that could go stale.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from strongroom.clock import Clock
from strongroom.engines.kv._messages import ERR_TRAILING_SLASH
from strongroom.engines.kv._model import now_us
from strongroom.errors import InvalidRequest
from strongroom.framework.locks import NamedLocks
from strongroom.logical import Request


@dataclass(frozen=True, slots=True)
class KVContext:
    """The engine's injected dependencies."""

    clock: Clock
    locks: NamedLocks = field(default_factory=NamedLocks)

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


__all__ = ["KVContext", "NamedLocks", "check_writable"]
