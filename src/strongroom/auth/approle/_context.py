"""What every AppRole handler shares: the injected clock and per-name locks.

Holds no data: storage arrives on each request (`request.storage`, the mount's view), so one
backend never serves anything from a stale cache.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from strongroom.clock import Clock
from strongroom.errors import InternalError
from strongroom.framework.locks import NamedLocks
from strongroom.logical import Request
from strongroom.storage import Storage


@dataclass(frozen=True, slots=True)
class AppRoleContext:
    """The backend's injected dependencies."""

    clock: Clock
    locks: NamedLocks = field(default_factory=NamedLocks)

    def role_lock(self, role_name: str) -> AbstractAsyncContextManager[None]:
        """Serialises every change to one role and its secret IDs, logins included, so two
        logins cannot both spend the last use of a secret ID."""
        return self.locks.hold("role:" + role_name)

    def role_id_lock(self) -> AbstractAsyncContextManager[None]:
        """Serialises role_id assignments, so two roles cannot claim the same role_id."""
        return self.locks.hold("role_id")

    def salt_lock(self) -> AbstractAsyncContextManager[None]:
        """Serialises creation of the mount's HMAC salt."""
        return self.locks.hold("salt")


def storage_of(request: Request) -> Storage:
    """The mount's storage view; the core always sets it on routed requests."""
    if request.storage is None:
        raise InternalError("approle: request has no storage view")
    return request.storage


__all__ = ["AppRoleContext", "NamedLocks", "storage_of"]
