"""The ACL policy store: policy text inside the barrier, parsed policies and compiled ACLs
cached in memory (dropped on every change, and by `invalidate` when another node changes
storage underneath us). A parse or compile that raced with a change (it awaited storage while
the change landed) is used but not cached, so a stale policy never outlives its change.

`default` is stored (operators may edit it, not delete it); `root` is built in.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from strongroom.clock import Clock
from strongroom.errors import InvalidRequest
from strongroom.policy import (
    ACL,
    DEFAULT_POLICY_NAME,
    DEFAULT_POLICY_TEXT,
    ROOT_POLICY_NAME,
    Policy,
    parse_policy,
)
from strongroom.storage import Entry, Storage
from strongroom.types import JSONDict

_PREFIX = "acl/"
_KEYS_SIZE = 1024  # distinct policy lists remembered (the cache starts over when full)


class PolicyStore:
    """Named ACL policies and the ACLs built from sets of them."""

    def __init__(self, view: Storage, *, clock: Clock) -> None:
        self._view = view
        self._clock = clock
        self._policies: dict[str, Policy | None] = {}
        self._acls: dict[tuple[str, ...], ACL] = {}
        # A token's policy names as given -> the sorted, de-duplicated cache key.
        self._keys: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._changes = 0  # bumped by every change and invalidation

    async def setup_defaults(self) -> None:
        """Store the built-in `default` policy if it is missing (first unseal)."""
        if await self._view.get(_PREFIX + DEFAULT_POLICY_NAME) is None:
            await self.put(DEFAULT_POLICY_NAME, DEFAULT_POLICY_TEXT)

    async def names(self) -> list[str]:
        stored = [k for k in await self._view.list(_PREFIX) if not k.endswith("/")]
        return sorted({*stored, ROOT_POLICY_NAME})

    async def record(self, name: str) -> JSONDict | None:
        """The stored document of a policy: name, text, version, modified time."""
        entry = await self._view.get(_PREFIX + name.lower())
        return None if entry is None else dict(json.loads(entry.value))

    async def get(self, name: str) -> Policy | None:
        name = name.lower()
        if name in self._policies:
            return self._policies[name]
        before = self._changes
        record = await self.record(name)
        policy = None if record is None else parse_policy(name, record["policy"])
        if self._changes == before:
            self._policies[name] = policy
        return policy

    async def exists(self, name: str) -> bool:
        return name.lower() == ROOT_POLICY_NAME or await self.get(name) is not None

    async def put(self, name: str, text: str) -> None:
        """Parse, then store; a policy that does not parse changes nothing."""
        name = name.strip().lower()
        if not name:
            raise InvalidRequest("policy name must be provided")
        if name == ROOT_POLICY_NAME:
            raise InvalidRequest('cannot update "root" policy')
        policy = parse_policy(name, text)
        previous = await self.record(name)
        record = {
            "name": name,
            "policy": text,
            "version": (previous or {}).get("version", 0) + 1,
            "modified": datetime.fromtimestamp(self._clock.now(), tz=UTC)
            .isoformat()
            .replace("+00:00", "Z"),
        }
        await self._view.put(Entry(_PREFIX + name, json.dumps(record).encode()))
        self._changed(name, policy)

    async def delete(self, name: str) -> None:
        name = name.lower()
        if name == DEFAULT_POLICY_NAME:
            raise InvalidRequest("cannot delete default policy")
        if name == ROOT_POLICY_NAME:
            raise InvalidRequest('cannot delete "root" policy')
        await self._view.delete(_PREFIX + name)
        self._changed(name, None)

    def _changed(self, name: str, policy: Policy | None) -> None:
        self._changes += 1
        self._policies[name] = policy
        self._acls.clear()

    async def acl(self, names: tuple[str, ...]) -> ACL:
        """The compiled ACL for a token's policies (missing policies contribute nothing)."""
        key = self._keys.get(names)
        if key is None:
            key = tuple(sorted(set(names)))
            if len(self._keys) >= _KEYS_SIZE:
                self._keys.clear()
            self._keys[names] = key
        cached = self._acls.get(key)
        if cached is not None and (
            cached.valid_until is None or cached.valid_until > self._clock.now()
        ):
            return cached
        before = self._changes
        if ROOT_POLICY_NAME in key:
            acl = ACL.root()
        else:
            policies = [p for p in [await self.get(n) for n in key] if p is not None]
            acl = ACL(policies, now=self._clock.now())
        if self._changes == before:
            self._acls[key] = acl
        return acl

    def invalidate(self, key: str) -> None:
        """Another node changed `key` under this store's view."""
        if key.startswith(_PREFIX):
            self._changes += 1
            self._policies.pop(key[len(_PREFIX) :], None)
            self._acls.clear()


__all__ = ["PolicyStore"]
