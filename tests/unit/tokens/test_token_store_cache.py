"""The token store's entry cache never keeps an entry its own change replaced; the salted
hash is HMAC-SHA256."""

from __future__ import annotations

import asyncio
import hashlib
import hmac

from strongroom.storage import InmemStorage
from strongroom.testing.clock import FakeClock
from strongroom.tokens import TokenEntry, TokenStore
from tests.gated_storage import GatedStorage


def _template(clock: FakeClock) -> TokenEntry:
    return TokenEntry(id="", accessor="", policies=("p",), creation_time=clock.now())


async def test_a_read_that_raced_a_revocation_is_not_cached() -> None:
    clock = FakeClock(1_800_000_000.0)
    storage = GatedStorage("id/")
    token, _ = await TokenStore(storage, clock=clock).store(_template(clock))
    store = TokenStore(storage, clock=clock)  # a fresh cache, as after a restart
    await store.hash("warm the salt")
    storage.hold = True
    racing = asyncio.create_task(store.lookup(token))
    await storage.waiting.wait()  # it has read the entry, not yet cached it
    storage.hold = False
    entry = await store.entry(await store.hash(token))
    assert entry is not None
    await store.revoke_tree(entry)
    storage.gate.set()
    await racing  # it may answer with what it read before the revocation...
    assert await store.lookup(token) is None  # ...but did not cache it


async def test_a_read_that_raced_an_update_is_not_cached() -> None:
    clock = FakeClock(1_800_000_000.0)
    storage = GatedStorage("id/")
    token, _ = await TokenStore(storage, clock=clock).store(_template(clock))
    store = TokenStore(storage, clock=clock)
    token_id = await store.hash(token)
    storage.hold = True
    racing = asyncio.create_task(store.lookup(token))
    await storage.waiting.wait()
    storage.hold = False
    stored = await storage.get("id/" + token_id)
    assert stored is not None
    await store.update(TokenEntry.deserialize(stored.value).with_uses(3))
    storage.gate.set()
    await racing
    current = await store.lookup(token)
    assert current is not None and current.num_uses == 3


async def test_hash_is_hmac_sha256_under_the_salt() -> None:
    storage = InmemStorage()
    store = TokenStore(storage, clock=FakeClock())
    digest = await store.hash("hvs.value")
    salt = await storage.get("salt")
    assert salt is not None
    assert digest == hmac.new(salt.value, b"hvs.value", hashlib.sha256).hexdigest()
    store.invalidate("salt")
    assert await store.hash("hvs.value") == digest
