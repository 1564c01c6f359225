"""Edge cases of AppRole's internals: stale indexes, roles deleted mid-login, lock hygiene,
concurrent salt creation and requests without a storage view."""

from __future__ import annotations

import asyncio

import pytest
from approle_harness import AppRole, YieldingStorage, raises_exactly

from strongroom.auth.approle import approle_backend
from strongroom.auth.approle._context import AppRoleContext, NamedLocks
from strongroom.auth.approle._store import digest, salt
from strongroom.errors import InternalError, InvalidRequest
from strongroom.logical import Operation, Request
from strongroom.storage import Entry
from strongroom.testing.clock import FakeClock

INVALID = "invalid role or secret ID"


async def _salt(approle: AppRole) -> bytes:
    entry = await approle.storage.get("salt")
    assert entry is not None
    return entry.value


async def test_a_stale_role_id_index_does_not_log_in(approle: AppRole) -> None:
    await approle.role("r")
    key = digest(await _salt(approle), "ghost")
    await approle.storage.put(Entry(f"role_id/{key}", b'{"name": "gone"}'))
    with raises_exactly(InvalidRequest, INVALID):
        await approle.login(role_id="ghost", secret_id="x")


async def test_a_role_deleted_while_a_login_waits(clock: FakeClock) -> None:
    approle = AppRole(approle_backend(clock=clock), YieldingStorage(), clock)
    role_id = await approle.role("r")
    secret, _ = await approle.secret_id("r")
    # The login finds the role, then waits for the role lock the delete holds.
    login, deleted = await asyncio.gather(
        approle.call(Operation.UPDATE, "login", role_id=role_id, secret_id=secret),
        approle.delete("role/r"),
        return_exceptions=True,
    )
    assert deleted is None
    assert isinstance(login, InvalidRequest) and login.messages == [INVALID]


async def test_concurrent_first_writes_share_one_salt(clock: FakeClock) -> None:
    approle = AppRole(approle_backend(clock=clock), YieldingStorage(), clock)
    await asyncio.gather(*(approle.write(f"role/r{i}") for i in range(4)))
    for i in range(4):
        role_id = str((await approle.data(f"role/r{i}/role-id"))["role_id"])
        secret, _ = await approle.secret_id(f"r{i}")
        await approle.login(role_id=role_id, secret_id=secret)


async def test_concurrent_salt_creation_keeps_one_salt() -> None:
    ctx = AppRoleContext(clock=FakeClock())
    storage = YieldingStorage()
    salts = await asyncio.gather(*(salt(ctx, storage) for _ in range(3)))
    assert len(set(salts)) == 1 and len(salts[0]) == 32


async def test_destroying_a_dangling_accessor_removes_it(approle: AppRole) -> None:
    await approle.role("r")
    await approle.storage.put(Entry("accessor/r/dangling", b'{"secret_id_hmac": "gone"}'))
    listed = await approle.list("role/r/secret-id")
    assert listed is not None and listed.data == {"keys": ["dangling"]}
    await approle.write("role/r/secret-id-accessor/destroy", secret_id_accessor="dangling")
    assert await approle.list("role/r/secret-id") is None


async def test_locks_are_dropped_after_use() -> None:
    locks = NamedLocks()
    async with locks.hold("a"):
        assert len(locks) == 1
    assert len(locks) == 0


async def test_a_request_without_storage_is_an_internal_error() -> None:
    backend = approle_backend(clock=FakeClock())
    with pytest.raises(InternalError):
        await backend.handle(Request(operation=Operation.READ, path="role/r"))
    assert isinstance(AppRoleContext(clock=FakeClock()).locks, NamedLocks)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"secret_id_bound_cidrs": "10.0.0.0/33"},
            "failed to validate CIDR blocks: invalid CIDR address: 10.0.0.0/33",
        ),
        (
            {"secret_id_bound_cidrs": "abc/8"},
            "failed to validate CIDR blocks: invalid CIDR address: abc/8",
        ),
    ],
)
async def test_malformed_blocks(approle: AppRole, body: dict[str, str], message: str) -> None:
    with raises_exactly(InvalidRequest, message):
        await approle.write("role/r", **body)


async def test_empty_entries_in_cidr_lists_are_ignored(approle: AppRole) -> None:
    await approle.write("role/r", token_bound_cidrs=["", "10.0.0.1"], secret_id_bound_cidrs=[""])
    data = await approle.data("role/r")
    assert (data["token_bound_cidrs"], data["secret_id_bound_cidrs"]) == (["10.0.0.1"], None)
