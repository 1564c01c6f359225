"""The token store's persistence: salted-hash ids, accessors, the parent/child tree, roles.

Service tokens are `hvs.` + 24 base62 characters and batch tokens (`hvb.`) carry their own
encrypted entry, as Vault >= 1.10 formats them. OpenBao issues `s.`/`b.` (26-character service
tokens); Strongroom keeps Vault's form because clients size generate-root OTPs from it (hvac's
tests build a 28-character OTP), and accepts `b.` batch tokens as OpenBao accepts both forms.
Storage holds only HMAC-SHA256(salt, token), so a token never sits in storage or in a log;
lookups go through that hash of the whole token string, whatever its prefix.

Layout inside the token store's view: `salt`, `batch-key`, `id/<hash>`,
`accessor/<hash(accessor)>` -> id, `parent/<parent id>/<child id>`, `roles/<name>`.
"""

from __future__ import annotations

import os
import secrets
import string
from collections.abc import Awaitable, Callable
from dataclasses import replace

from strongroom.clock import Clock
from strongroom.keyed_hmac import KeyedHmac
from strongroom.storage import Entry, Storage, TxnOp
from strongroom.tokens.batch import is_batch_token, open_batch, seal_batch
from strongroom.tokens.entry import BATCH, TokenEntry
from strongroom.tokens.roles import TokenRole

_ALPHABET = string.ascii_letters + string.digits
Hook = Callable[[TokenEntry], Awaitable[None]]
# vault-compat: consts.ServiceTokenPrefix (Vault >= 1.10, issued here) and OpenBao's form
SERVICE_PREFIX = "hvs."
OPENBAO_SERVICE_PREFIX = "s."
TOKEN_RANDOM_CHARS = 24


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_token(prefix: str = SERVICE_PREFIX) -> str:
    """A fresh random service token string."""
    return prefix + _random(TOKEN_RANDOM_CHARS)


class TokenStore:
    """Create, look up, use, renew and revoke tokens inside the token store's storage view."""

    def __init__(
        self, view: Storage, *, clock: Clock, rng: Callable[[int], bytes] = os.urandom
    ) -> None:
        self._view = view
        self.clock = clock
        self._rng = rng
        self._mac: KeyedHmac | None = None
        self._batch_key: bytes | None = None
        self._cache: dict[str, TokenEntry] = {}
        # Bumped around every change of a stored entry: a read that raced with one (it awaited
        # storage meanwhile) does not fill the cache, so a revoked or changed token's old entry
        # can never be cached after the change.
        self._changes = 0
        self._revoke_hooks: list[Hook] = []
        self._change_hooks: list[Hook] = []
        self._create_hooks: list[Hook] = []

    def on_revoke(self, hook: Hook) -> None:
        """Run `hook(entry)` after a token is revoked (destroy its cubbyhole, forget its lease)."""
        self._revoke_hooks.append(hook)

    def on_create(self, hook: Hook) -> None:
        """Run `hook(entry)` after a token is created (its lease, the creation metric)."""
        self._create_hooks.append(hook)

    def on_change(self, hook: Hook) -> None:
        """Run `hook(entry)` after a token's expiry changes (a renewal moves its lease)."""
        self._change_hooks.append(hook)

    async def _secret(self, key: str, size: int) -> bytes:
        entry = await self._view.get(key)
        if entry is None:
            entry = Entry(key, self._rng(size))
            await self._view.put(entry)
        return entry.value

    async def hash(self, value: str) -> str:
        """The salted hash under which a token or accessor is stored."""
        mac = self._mac
        if mac is None:
            mac = self._mac = KeyedHmac(await self._secret("salt", 32))
        return mac.hexdigest(value.encode())

    async def _batch(self) -> bytes:
        if self._batch_key is None:
            self._batch_key = await self._secret("batch-key", 32)
        return self._batch_key

    async def store(
        self, template: TokenEntry, *, token: str | None = None
    ) -> tuple[str, TokenEntry]:
        """Persist a new token built from `template` (id and accessor are filled in here)."""
        if template.token_type == BATCH:
            entry = replace(template, id="b" + _random(23), accessor="")
            return seal_batch(await self._batch(), entry, rng=self._rng), entry
        token_value = token or new_token()
        entry = replace(
            template, id=await self.hash(token_value), accessor=_random(TOKEN_RANDOM_CHARS)
        )
        ops = [
            TxnOp("put", "id/" + entry.id, entry.serialize()),
            TxnOp("put", "accessor/" + await self.hash(entry.accessor), entry.id.encode()),
        ]
        if entry.parent:
            ops.append(TxnOp("put", f"parent/{entry.parent}/{entry.id}", b""))
        await self._view.transaction(ops)
        self._cache[entry.id] = entry
        for hook in self._create_hooks:
            await hook(entry)
        return token_value, entry

    async def create_root(
        self,
        *,
        token: str | None = None,
        display_name: str = "root",
        path: str = "auth/token/root",
    ) -> str:
        """A new root token (no parent, never expires)."""
        template = TokenEntry(
            id="",
            accessor="",
            policies=("root",),
            path=path,
            display_name=display_name,
            creation_time=self.clock.now(),
            orphan=True,
            renewable=False,
        )
        token_value, _ = await self.store(template, token=token)
        return token_value

    async def _by_id(self, token_id: str) -> TokenEntry | None:
        entry = self._cache.get(token_id)
        if entry is None:
            before = self._changes
            stored = await self._view.get("id/" + token_id)
            if stored is None:
                return None
            entry = TokenEntry.deserialize(stored.value)
            if self._changes == before:
                self._cache[token_id] = entry
        return entry

    async def lookup(self, token: str) -> TokenEntry | None:
        """The live entry for a token, or None (unknown, revoked or expired)."""
        now = self.clock.now()
        if is_batch_token(token):
            batch = open_batch(await self._batch(), token)
            if batch is not None:
                return await self._live_batch(batch, now)
            # Not a batch token of ours. It may still be a service token whose value was chosen
            # (`id`, -dev-root-token-id) before custom ids were checked: such a token is stored
            # like any other, so look it up by its hash.
        # The cached salt and entry without awaiting: no coroutine per step on a hit.
        token_id = (
            await self.hash(token) if self._mac is None else self._mac.hexdigest(token.encode())
        )
        entry = self._cache.get(token_id)
        if entry is None:
            entry = await self._by_id(token_id)
        if entry is None or entry.expired(now) or entry.num_uses < 0:
            return None  # num_uses -1: the last use is taken, revocation is under way
        return entry

    async def _live_batch(self, entry: TokenEntry, now: float) -> TokenEntry | None:
        """A decrypted batch entry while it lives: unexpired, and its parent (if any) too."""
        if entry.expired(now):
            return None
        if entry.parent and await self._live_by_id(entry.parent) is None:
            return None
        return entry

    async def revoke_id(self, token_id: str) -> None:
        """Revoke (with its children) the token stored under `token_id`, if it is still there."""
        entry = await self._by_id(token_id)
        if entry is not None:
            await self.revoke_tree(entry)

    async def entry(self, token_id: str) -> TokenEntry | None:
        """The stored, unexpired entry under `token_id` (also during its last use)."""
        return await self._live_by_id(token_id)

    async def _live_by_id(self, token_id: str) -> TokenEntry | None:
        entry = self._cache.get(token_id)
        if entry is None:
            entry = await self._by_id(token_id)
        if entry is None or entry.expired(self.clock.now()):
            return None
        return entry

    async def lookup_accessor(self, accessor: str) -> TokenEntry | None:
        stored = await self._view.get("accessor/" + await self.hash(accessor))
        if stored is None:
            return None
        return await self._live_by_id(stored.value.decode())

    async def update(self, entry: TokenEntry) -> None:
        """Persist a changed entry (renewal, a consumed use)."""
        previous = self._cache.get(entry.id)
        self._changes += 1
        try:
            await self._view.put(Entry("id/" + entry.id, entry.serialize()))
        finally:
            self._changes += 1
        self._cache[entry.id] = entry
        if previous is None or previous.expire_time != entry.expire_time:
            for hook in self._change_hooks:
                await hook(entry)

    async def children(self, entry: TokenEntry) -> list[str]:
        return [
            key for key in await self._view.list(f"parent/{entry.id}/") if not key.endswith("/")
        ]

    async def revoke_tree(self, entry: TokenEntry) -> None:
        """Revoke a token and, depth first, every descendant."""
        if entry.token_type == BATCH:
            return
        for child_id in await self.children(entry):
            child = await self._by_id(child_id)
            if child is not None:
                await self.revoke_tree(child)
            else:
                await self._view.delete(f"parent/{entry.id}/{child_id}")
        await self._delete(entry)

    async def revoke_orphan(self, entry: TokenEntry) -> None:
        """Revoke only this token; its children become orphans."""
        for child_id in await self.children(entry):
            child = await self._by_id(child_id)
            await self._view.delete(f"parent/{entry.id}/{child_id}")
            if child is not None:
                await self.update(replace(child, parent="", orphan=True))
        await self._delete(entry)

    async def _delete(self, entry: TokenEntry) -> None:
        self._cache.pop(entry.id, None)
        self._changes += 1
        ops = [
            TxnOp("delete", "id/" + entry.id),
            TxnOp("delete", "accessor/" + await self.hash(entry.accessor)),
        ]
        if entry.parent:
            ops.append(TxnOp("delete", f"parent/{entry.parent}/{entry.id}"))
        try:
            await self._view.transaction(ops)
        finally:
            self._changes += 1
        for hook in self._revoke_hooks:
            await hook(entry)

    async def accessors(self) -> list[str]:
        """The accessors of every live token (what `LIST auth/token/accessors` shows)."""
        found: list[str] = []
        for hashed in await self._view.list("accessor/"):
            stored = await self._view.get("accessor/" + hashed)
            entry = None if stored is None else await self._live_by_id(stored.value.decode())
            if entry is not None:
                found.append(entry.accessor)
        return sorted(found)

    async def tidy(self) -> int:
        """Remove index entries whose token is gone or expired; returns how many."""
        removed = 0
        now = self.clock.now()
        for hashed in await self._view.list("accessor/"):
            stored = await self._view.get("accessor/" + hashed)
            entry = None if stored is None else await self._by_id(stored.value.decode())
            if entry is None or entry.expired(now):
                if entry is not None:
                    await self.revoke_tree(entry)
                await self._view.delete("accessor/" + hashed)
                removed += 1
        for parent in await self._view.list("parent/"):
            parent_id = parent.rstrip("/")
            if await self._by_id(parent_id) is None:
                for child in await self._view.list(f"parent/{parent_id}/"):
                    await self._view.delete(f"parent/{parent_id}/{child}")
                    removed += 1
        return removed

    # -- roles -------------------------------------------------------------------------------

    async def role(self, name: str) -> TokenRole | None:
        stored = await self._view.get("roles/" + name.lower())
        return None if stored is None else TokenRole.deserialize(stored.value)

    async def put_role(self, role: TokenRole) -> None:
        await self._view.put(Entry("roles/" + role.name.lower(), role.serialize()))

    async def delete_role(self, name: str) -> None:
        await self._view.delete("roles/" + name.lower())

    async def roles(self) -> list[str]:
        return await self._view.list("roles/")

    def invalidate(self, key: str) -> None:
        """Drop cached state after another node changed `key` underneath us."""
        self._changes += 1
        if key.startswith("id/"):
            self._cache.pop(key[3:], None)
        elif key in ("salt", "batch-key"):
            self._mac = None
            self._batch_key = None
            self._cache.clear()


__all__ = [
    "OPENBAO_SERVICE_PREFIX",
    "SERVICE_PREFIX",
    "TOKEN_RANDOM_CHARS",
    "TokenStore",
    "new_token",
]
