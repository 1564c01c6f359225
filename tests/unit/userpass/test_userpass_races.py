"""Writes that race with a delete, and a request routed without a storage view."""

from __future__ import annotations

import pytest
from userpass_harness import UP, raises_exactly

from strongroom.auth.userpass import userpass_backend
from strongroom.auth.userpass._messages import ERR_NO_SUCH_USER, ERR_PASSWORD_REQUIRED
from strongroom.errors import InternalError, InvalidRequest
from strongroom.logical import Operation, Request
from strongroom.storage import Entry, InmemStorage
from strongroom.testing.clock import FakeClock


class VanishingStorage(InmemStorage):
    """Deletes `key` right after the first read of it: a concurrent delete between a
    handler's first look and its locked write."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.armed = False

    async def get(self, key: str) -> Entry | None:
        entry = await super().get(key)
        if self.armed and key == self.key:
            self.armed = False
            await self.delete(key)
        return entry


@pytest.fixture
def racy(up: UP) -> UP:
    up.storage = VanishingStorage("user/alice")
    return up


async def arm(up: UP) -> None:
    await up.create("alice", password="pw")
    assert isinstance(up.storage, VanishingStorage)
    up.storage.armed = True


async def test_update_without_password_of_a_user_deleted_meanwhile(racy: UP) -> None:
    await arm(racy)
    with raises_exactly(InvalidRequest, ERR_PASSWORD_REQUIRED):
        await racy.update("users/alice", token_ttl=60)
    assert await racy.exists("users/alice") is False


async def test_update_with_password_of_a_user_deleted_meanwhile_recreates_it(racy: UP) -> None:
    await arm(racy)
    await racy.update("users/alice", password="new")
    assert (await racy.login("alice", password="new")).auth is not None


async def test_password_reset_of_a_user_deleted_meanwhile(racy: UP) -> None:
    await arm(racy)
    with raises_exactly(InvalidRequest, ERR_NO_SUCH_USER):
        await racy.update("users/alice/password", password="new")
    assert await racy.exists("users/alice") is False


async def test_a_request_without_storage_is_an_internal_error() -> None:
    backend = userpass_backend(clock=FakeClock())
    with pytest.raises(InternalError):
        await backend.handle(Request(operation=Operation.READ, path="users/alice"))
