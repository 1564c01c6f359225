"""Token prefixes: Strongroom issues Vault's (`hvs.`, `hvb.`; clients size generate-root OTPs
from them), accepts OpenBao's batch form `b.` too, and finds a stored token by the hash of its
whole value whatever its prefix."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import string
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from strongroom.storage import Entry, InmemStorage
from strongroom.testing.clock import FakeClock
from strongroom.tokens import BATCH, TokenEntry, TokenStore, is_batch_token

NOW = 1_800_000_000.0
BASE62 = re.escape(string.ascii_letters + string.digits)
SERVICE_TOKEN = re.compile(rf"hvs\.[{BASE62}]{{24}}")
ACCESSOR = re.compile(rf"[{BASE62}]{{24}}")
# What earlier Strongroom versions sealed batch entries under (batch.py, unchanged since).
OLD_BATCH_AAD = b"strongroom/batch-token/v1"


def _template(*, token_type: str = "service", ttl: int = 600) -> TokenEntry:
    return TokenEntry(
        id="",
        accessor="",
        policies=("default", "p"),
        creation_time=NOW,
        ttl=ttl,
        expire_time=NOW + ttl,
        token_type=token_type,
        renewable=token_type != BATCH,
    )


async def _salt(storage: InmemStorage, store: TokenStore) -> bytes:
    await store.hash("create the salt")
    entry = await storage.get("salt")
    assert entry is not None
    return entry.value


async def _old_service_token(storage: InmemStorage, store: TokenStore) -> tuple[str, str]:
    """(token, accessor) written the way the previous code stored an `hvs.` token: the entry
    under HMAC-SHA256(salt, whole token) and the accessor index under the accessor's HMAC."""
    token, accessor = "hvs.OldServiceTokenFromV1abc", "OldAccessorFromV1xyz0123"
    salt = await _salt(storage, store)
    token_id = hmac.new(salt, token.encode(), hashlib.sha256).hexdigest()
    entry = TokenEntry(
        id=token_id,
        accessor=accessor,
        policies=("default",),
        creation_time=NOW,
        ttl=600,
        expire_time=NOW + 600,
    )
    await storage.put(Entry("id/" + token_id, entry.serialize()))
    accessor_key = hmac.new(salt, accessor.encode(), hashlib.sha256).hexdigest()
    await storage.put(Entry("accessor/" + accessor_key, token_id.encode()))
    return token, accessor


async def _old_batch_token(storage: InmemStorage, store: TokenStore, entry: TokenEntry) -> str:
    """An `hvb.` token exactly as the previous code sealed one, under the store's batch key."""
    await store.store(_template(token_type=BATCH))  # makes the batch key
    key = await storage.get("batch-key")
    assert key is not None
    nonce = os.urandom(12)
    blob = nonce + AESGCM(key.value).encrypt(nonce, entry.serialize(), OLD_BATCH_AAD)
    return "hvb." + base64.urlsafe_b64encode(blob).decode().rstrip("=")


async def test_new_service_tokens_are_hvs_dot_and_24_base62_characters() -> None:
    store = TokenStore(InmemStorage(), clock=FakeClock(NOW))
    token, entry = await store.store(_template())
    assert SERVICE_TOKEN.fullmatch(token), token
    assert ACCESSOR.fullmatch(entry.accessor), entry.accessor
    assert await store.lookup(token) == entry


async def test_new_batch_tokens_are_hvb_dot_and_carry_their_entry() -> None:
    store = TokenStore(InmemStorage(), clock=FakeClock(NOW))
    token, entry = await store.store(_template(token_type=BATCH))
    assert re.fullmatch(r"hvb\.[A-Za-z0-9_-]+", token), token  # unpadded URL-safe base64
    assert entry.accessor == ""
    assert await store.lookup(token) == entry


async def test_a_service_token_issued_as_hvs_still_looks_up_renews_and_revokes() -> None:
    storage = InmemStorage()
    store = TokenStore(storage, clock=FakeClock(NOW))
    token, accessor = await _old_service_token(storage, store)
    fresh = TokenStore(storage, clock=FakeClock(NOW))  # the upgraded server, cold cache
    found = await fresh.lookup(token)
    assert found is not None and found.accessor == accessor
    assert await fresh.lookup_accessor(accessor) == found
    await fresh.update(replace(found, expire_time=NOW + 3600))  # what a renewal stores
    renewed = await TokenStore(storage, clock=FakeClock(NOW + 1200)).lookup(token)
    assert renewed is not None and renewed.expire_time == NOW + 3600
    await fresh.revoke_tree(renewed)
    assert await fresh.lookup(token) is None
    assert await fresh.lookup_accessor(accessor) is None
    assert await storage.list("id/") == []


async def test_a_batch_token_issued_as_hvb_is_still_recognised_until_it_expires() -> None:
    storage = InmemStorage()
    clock = FakeClock(NOW)
    store = TokenStore(storage, clock=clock)
    inner = TokenEntry(
        id="bOldBatchIdFromV1abcdefg",
        accessor="",
        policies=("default",),
        creation_time=NOW,
        ttl=60,
        expire_time=NOW + 60,
        token_type=BATCH,
        renewable=False,
    )
    token = await _old_batch_token(storage, store, inner)
    assert is_batch_token(token)
    assert await TokenStore(storage, clock=clock).lookup(token) == inner
    clock.advance(60)
    assert await store.lookup(token) is None


async def test_an_hvb_token_dies_with_its_parent() -> None:
    storage = InmemStorage()
    store = TokenStore(storage, clock=FakeClock(NOW))
    _, parent = await store.store(_template())
    child = TokenEntry(
        id="bChild",
        accessor="",
        policies=("default",),
        parent=parent.id,
        creation_time=NOW,
        ttl=60,
        expire_time=NOW + 60,
        token_type=BATCH,
    )
    token = await _old_batch_token(storage, store, child)
    assert await store.lookup(token) == child
    await store.revoke_tree(parent)
    assert await store.lookup(token) is None


def test_both_batch_prefixes_are_batch_tokens_and_nothing_else_is() -> None:
    assert is_batch_token("b.x") and is_batch_token("hvb.x")
    assert not any(
        is_batch_token(value) for value in ("s.x", "hvs.x", "root", "", "bx", "hvbx", "B.x")
    )


@pytest.mark.parametrize(
    "garbage",
    ["b.", "hvb.", "b.garbage", "hvb.garbage", "b.====", "b.é", "b.AAAA", "s.", "hvs.", "r.x"],
)
async def test_malformed_tokens_are_simply_unknown(garbage: str) -> None:
    store = TokenStore(InmemStorage(), clock=FakeClock(NOW))
    await store.store(_template(token_type=BATCH))
    assert await store.lookup(garbage) is None


async def test_a_batch_token_under_openbaos_prefix_is_the_same_token() -> None:
    """The prefix is not authenticated, as in OpenBao (it strips either before decrypting)."""
    store = TokenStore(InmemStorage(), clock=FakeClock(NOW))
    token, entry = await store.store(_template(token_type=BATCH))
    assert await store.lookup("b." + token.removeprefix("hvb.")) == entry


@pytest.mark.parametrize("chosen", ["b.chosen-before", "hvb.chosen-before"])
async def test_a_stored_service_token_with_a_batch_looking_value_still_looks_up(
    chosen: str,
) -> None:
    """A value chosen with `id` before such values were refused is a stored service token."""
    storage = InmemStorage()
    store = TokenStore(storage, clock=FakeClock(NOW))
    _, entry = await store.store(_template(), token=chosen)
    assert await TokenStore(storage, clock=FakeClock(NOW)).lookup(chosen) == entry
    await store.revoke_tree(entry)
    assert await store.lookup(chosen) is None
