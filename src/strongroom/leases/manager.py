"""The expiration manager: every lease persisted, revoked when it expires, also across
restarts and seals; failed revocations retried with backoff and logged.

Leases live in the barrier under the manager's view at `id/<lease id>`; the lease id is a path,
so listing and revoking by prefix follow the storage layout. Revoking a secret or a token is
delegated to the core through the `Revokers` callbacks; this module knows no backend.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from strongroom.clock import Clock
from strongroom.errors import InvalidRequest
from strongroom.leases.entry import SECRET, TOKEN, LeaseEntry
from strongroom.leases.schedule import Schedule, backoff
from strongroom.storage import Entry, Storage, walk_keys
from strongroom.tokens import TokenEntry
from strongroom.types import JSONDict

_log = logging.getLogger("strongroom.expiration")

# vault-compat: lease error texts
ERR_INVALID_LEASE = "invalid lease ID"
ERR_NOT_RENEWABLE = "lease is not renewable"


@dataclass(frozen=True, slots=True)
class Revokers:
    """How the core revokes and renews what a lease stands for."""

    revoke_secret: Callable[[LeaseEntry], Awaitable[None]]
    renew_secret: Callable[[LeaseEntry, int], Awaitable[int]]
    revoke_token: Callable[[str], Awaitable[None]]


def token_lease_id(entry: TokenEntry) -> str:
    """A token's lease id: its creation path and its (hashed) id."""
    return f"{entry.path.rstrip('/')}/{entry.id}"


class ExpirationManager:
    """Leases of one core."""

    def __init__(self, view: Storage, *, clock: Clock, revokers: Revokers) -> None:
        self._view = view
        self._clock = clock
        self._revokers = revokers
        self._schedule = Schedule()
        self.irrevocable: dict[str, str] = {}
        self.on_failure: Callable[[], None] | None = None  # e.g. a revoke-failure counter

    async def load(self) -> int:
        """Schedule every stored lease (at unseal); returns how many."""
        count = 0
        for lease_id in await self._walk(""):
            lease = await self.lookup(lease_id)
            if lease is not None:
                self._schedule.set(lease_id, max(lease.expire_time, lease.next_attempt))
                count += 1
        return count

    async def _walk(self, prefix: str) -> list[str]:
        """Lease ids under `prefix` (lease ids are storage paths below `id/`)."""
        return [key[len("id/") :] for key in await walk_keys(self._view, "id/" + prefix)]

    async def _save(self, lease: LeaseEntry) -> None:
        await self._view.put(Entry("id/" + lease.lease_id, lease.serialize()))
        self._schedule.set(lease.lease_id, max(lease.expire_time, lease.next_attempt))

    @staticmethod
    def _token_index(client_token: str, lease_id: str = "") -> str:
        """The index of a token's leases: `token/<token entry id>/<lease id>`."""
        return f"token/{client_token}/{lease_id}"

    async def register_secret(
        self,
        *,
        path: str,
        mount_path: str,
        ttl: int,
        renewable: bool,
        internal_data: JSONDict,
        secret_data: JSONDict,
        client_token: str = "",
        expire_limit: float = 0.0,
    ) -> LeaseEntry:
        """Lease a secret; with `client_token` (a token's entry id) the lease is revoked
        together with that token; with `expire_limit` (epoch seconds) it never expires later
        than that, renewals included (a batch token's own expiry)."""
        now = self._clock.now()
        expire_time = now + ttl
        if expire_limit > 0:
            expire_time = min(expire_time, expire_limit)
        lease = LeaseEntry(
            lease_id=f"{path.rstrip('/')}/{secrets.token_urlsafe(18)}",
            kind=SECRET,
            mount_path=mount_path,
            issue_time=now,
            expire_time=expire_time,
            renewable=renewable,
            internal_data=internal_data,
            secret_data=secret_data,
            client_token=client_token,
            expire_limit=expire_limit,
        )
        if client_token:
            # The index first: a lease is never stored without the way to find it by token.
            await self._view.put(Entry(self._token_index(client_token, lease.lease_id), b""))
        await self._save(lease)
        return lease

    async def register_token(self, entry: TokenEntry) -> None:
        """Track a token with a TTL so it is revoked (children, cubbyhole) when it expires."""
        if entry.expire_time <= 0 or entry.token_type != "service":
            return
        lease = LeaseEntry(
            lease_id=token_lease_id(entry),
            kind=TOKEN,
            mount_path="auth/token/",
            issue_time=entry.creation_time,
            expire_time=entry.expire_time,
            renewable=entry.renewable,
            token_id=entry.id,
        )
        await self._save(lease)

    async def token_renewed(self, entry: TokenEntry) -> None:
        lease = await self.lookup(token_lease_id(entry))
        if lease is not None:
            await self._save(
                replace(
                    lease, expire_time=entry.expire_time, last_renewal_time=entry.last_renewal_time
                )
            )

    async def lookup(self, lease_id: str) -> LeaseEntry | None:
        stored = await self._view.get("id/" + lease_id)
        return None if stored is None else LeaseEntry.deserialize(stored.value)

    async def list_prefix(self, prefix: str) -> list[str]:
        return await self._view.list("id/" + prefix)

    async def renew(self, lease_id: str, increment: int) -> LeaseEntry:
        lease = await self.lookup(lease_id)
        if lease is None or lease.kind != SECRET:
            raise InvalidRequest(ERR_INVALID_LEASE)
        if not lease.renewable:
            raise InvalidRequest(ERR_NOT_RENEWABLE)
        now = self._clock.now()
        ttl = await self._revokers.renew_secret(lease, increment)
        expire_time = now + ttl
        if lease.expire_limit > 0:
            expire_time = min(expire_time, lease.expire_limit)
        renewed = replace(lease, expire_time=expire_time, last_renewal_time=now)
        await self._save(renewed)
        return renewed

    async def revoke(self, lease_id: str, *, force: bool = False) -> None:
        """Revoke now: the backend (or token store) first, then forget the lease."""
        lease = await self.lookup(lease_id)
        if lease is None:
            return
        try:
            if lease.kind == TOKEN:
                await self._revokers.revoke_token(lease.token_id)
            else:
                await self._revokers.revoke_secret(lease)
        except Exception:
            if not force:
                raise
            _log.warning("forced revocation of lease %s: backend revocation failed", lease_id)
        await self.forget(lease_id, client_token=lease.client_token)

    async def forget(self, lease_id: str, *, client_token: str = "") -> None:
        """Drop the lease (and, given its `client_token`, its entry in that token's index)."""
        self._schedule.remove(lease_id)
        self.irrevocable.pop(lease_id, None)
        await self._view.delete("id/" + lease_id)
        if client_token:
            await self._view.delete(self._token_index(client_token, lease_id))

    async def revoke_by_token(self, client_token: str) -> int:
        """Revoke the leases a token created (the token is being revoked). A lease whose
        revocation fails now is not forgotten: it becomes due at once and is retried with
        backoff. Returns how many were revoked now."""
        done = 0
        prefix = self._token_index(client_token)
        for key in await walk_keys(self._view, prefix):
            lease_id = key[len(prefix) :]
            try:
                await self.revoke(lease_id)
                done += 1
            except Exception as exc:
                lease = await self.lookup(lease_id)
                _log.error(
                    "failed to revoke lease %s of a revoked token: %s",
                    lease_id,
                    type(exc).__name__,
                )
                if lease is not None:
                    now = self._clock.now()
                    await self._save(replace(lease, expire_time=min(lease.expire_time, now)))
                else:
                    await self._view.delete(key)
        return done

    async def revoke_prefix(self, prefix: str, *, force: bool = False) -> int:
        """Revoke every lease under `prefix` (and the lease named exactly `prefix`)."""
        base = prefix.rstrip("/")
        lease_ids = await self._walk(base + "/") if base else await self._walk("")
        if base and await self.lookup(base) is not None:
            lease_ids.append(base)
        for lease_id in lease_ids:
            await self.revoke(lease_id, force=force)
        return len(lease_ids)

    async def run_due(self) -> int:
        """Revoke every lease whose time has come; failures are retried with backoff."""
        now = self._clock.now()
        done = 0
        for lease_id in self._schedule.pop_due(now):
            lease = await self.lookup(lease_id)
            if lease is None:
                continue
            try:
                await self.revoke(lease_id)
                done += 1
            except Exception as exc:  # retried later; the lease is not forgotten
                attempts = lease.attempts + 1
                self.irrevocable[lease_id] = type(exc).__name__
                if self.on_failure is not None:
                    self.on_failure()
                _log.error(
                    "failed to revoke lease %s (attempt %d): %s",
                    lease_id,
                    attempts,
                    type(exc).__name__,
                )
                await self._save(
                    replace(lease, attempts=attempts, next_attempt=now + backoff(attempts))
                )
        return done

    async def tidy(self) -> int:
        """Forget token leases whose token is already gone."""
        removed = 0
        for lease_id in await self._walk(""):
            lease = await self.lookup(lease_id)
            if lease is not None and lease.kind == TOKEN and lease.expire_time <= self._clock.now():
                await self.revoke(lease_id, force=True)
                removed += 1
        return removed

    def count(self) -> int:
        return len(self._schedule)


__all__ = ["ERR_INVALID_LEASE", "ExpirationManager", "Revokers", "token_lease_id"]
