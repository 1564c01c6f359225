"""The policy store never caches a policy or ACL read while a change of it was landing."""

from __future__ import annotations

import asyncio

from strongroom.core.policy_store import PolicyStore
from strongroom.storage import InmemStorage
from strongroom.testing.clock import FakeClock
from tests.gated_storage import GatedStorage

READ = 'path "secret/*" { capabilities = ["read"] }'
UPDATE = 'path "secret/*" { capabilities = ["update"] }'


async def test_an_acl_built_while_its_policy_changed_is_not_cached() -> None:
    storage = GatedStorage()
    await PolicyStore(storage, clock=FakeClock()).put("app", READ)
    store = PolicyStore(storage, clock=FakeClock())  # nothing cached yet
    storage.hold = True
    racing = asyncio.create_task(store.acl(("app",)))
    await storage.waiting.wait()  # it read the old text
    storage.hold = False
    await store.put("app", UPDATE)
    storage.gate.set()
    await racing  # built from what it read...
    acl = await store.acl(("app",))  # ...but not kept
    assert acl.allowed("update", "secret/x").allowed
    assert not acl.allowed("read", "secret/x").allowed
    policy = await store.get("app")
    assert policy is not None and policy.rules[0].capability_names == ["update"]


async def test_policy_names_in_any_order_share_one_acl() -> None:
    store = PolicyStore(InmemStorage(), clock=FakeClock())
    await store.put("a", READ)
    await store.put("b", UPDATE)
    first = await store.acl(("b", "a", "a"))
    assert await store.acl(("a", "b")) is first
    await store.put("a", UPDATE)
    assert await store.acl(("b", "a", "a")) is not first
