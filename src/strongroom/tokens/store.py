"""The token store's persistence: salted-hash ids, accessors, lookup with a cache.

Tokens are `hvs.` (service) + 24 base62 characters, as Vault >= 1.10 formats them. Storage
holds only HMAC-SHA256(salt, token); lookups compare in constant time via the hash itself
(the dictionary/storage key), so the token never sits in storage or in a log.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import string
from collections.abc import Callable

from strongroom.clock import Clock
from strongroom.storage import Entry, Storage, TxnOp
from strongroom.tokens.entry import TokenEntry

_ALPHABET = string.ascii_letters + string.digits
SERVICE_PREFIX = "hvs."
BATCH_PREFIX = "hvb."
TOKEN_RANDOM_CHARS = 24
_SALT_KEY = "salt"


def new_token(prefix: str = SERVICE_PREFIX) -> str:
    """A fresh random token string."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(TOKEN_RANDOM_CHARS))


class TokenStore:
    """Create, look up and revoke tokens inside the token store's storage view."""

    def __init__(
        self, view: Storage, *, clock: Clock, rng: Callable[[int], bytes] = os.urandom
    ) -> None:
        self._view = view
        self._clock = clock
        self._rng = rng
        self._salt: bytes | None = None
        self._cache: dict[str, TokenEntry] = {}

    async def _salt_bytes(self) -> bytes:
        if self._salt is None:
            entry = await self._view.get(_SALT_KEY)
            if entry is None:
                entry = Entry(_SALT_KEY, self._rng(32))
                await self._view.put(entry)
            self._salt = entry.value
        return self._salt

    async def hash(self, value: str) -> str:
        """The salted hash under which a token or accessor is stored."""
        salt = await self._salt_bytes()
        return hmac.new(salt, value.encode(), hashlib.sha256).hexdigest()

    async def create(
        self,
        *,
        policies: tuple[str, ...],
        path: str = "auth/token/create",
        display_name: str = "token",
        ttl: int = 0,
        parent: str = "",
        token: str | None = None,
    ) -> tuple[str, TokenEntry]:
        """Store a new service token; returns (token, entry)."""
        token_value = token or new_token()
        accessor = "".join(secrets.choice(_ALPHABET) for _ in range(TOKEN_RANDOM_CHARS))
        entry = TokenEntry(
            id=await self.hash(token_value),
            accessor=accessor,
            policies=policies,
            path=path,
            parent=parent,
            display_name=display_name,
            creation_time=int(self._clock.now()),
            ttl=ttl,
            orphan=parent == "",
        )
        accessor_key = "accessor/" + await self.hash(accessor)
        await self._view.transaction(
            [
                TxnOp("put", "id/" + entry.id, entry.serialize()),
                TxnOp("put", accessor_key, entry.id.encode()),
            ]
        )
        self._cache[entry.id] = entry
        return token_value, entry

    async def lookup(self, token: str) -> TokenEntry | None:
        """The live entry for a token, or None (unknown, revoked or expired)."""
        token_id = await self.hash(token)
        entry = self._cache.get(token_id)
        if entry is None:
            stored = await self._view.get("id/" + token_id)
            if stored is None:
                return None
            entry = TokenEntry.deserialize(stored.value)
            self._cache[token_id] = entry
        if entry.expired(self._clock.now()):
            return None
        return entry

    async def revoke(self, entry: TokenEntry) -> None:
        """Remove a token and its accessor index."""
        self._cache.pop(entry.id, None)
        await self._view.transaction(
            [
                TxnOp("delete", "id/" + entry.id),
                TxnOp("delete", "accessor/" + await self.hash(entry.accessor)),
            ]
        )

    def invalidate(self, key: str) -> None:
        """Drop a cached entry after another node changed `key` underneath us."""
        if key.startswith("id/"):
            self._cache.pop(key[3:], None)
        elif key == _SALT_KEY:
            self._salt = None
            self._cache.clear()


__all__ = ["BATCH_PREFIX", "SERVICE_PREFIX", "TokenStore", "new_token"]
