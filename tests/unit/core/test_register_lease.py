"""A leased secret whose lease cannot be stored is revoked at once: nothing else would ever
revoke it (a database user would outlive every lease)."""

from __future__ import annotations

import pytest

from strongroom.core.expiration import register_lease
from strongroom.core.router import Route
from strongroom.errors import StorageError
from strongroom.framework import SECRET_TYPE_KEY, Backend, FieldData, SecretType
from strongroom.leases import ExpirationManager, LeaseEntry, Revokers
from strongroom.logical import Operation, Request, Response, Secret
from strongroom.logical.mounts import MountEntry
from strongroom.storage import Entry, InmemStorage
from strongroom.testing.clock import FakeClock


class FullDisk(InmemStorage):
    async def put(self, entry: Entry) -> None:
        raise StorageError("no space left on device")


async def _never(*_: object) -> None:
    raise AssertionError("not expected")


async def _never_renew(lease: LeaseEntry, increment: int) -> int:
    raise AssertionError("not expected")


async def test_a_secret_without_a_stored_lease_is_revoked_and_the_request_fails() -> None:
    revoked: list[dict[str, object]] = []

    async def revoke(request: Request, data: FieldData) -> Response | None:
        assert request.operation is Operation.REVOKE and request.storage is not None
        revoked.append(dict(request.data))
        return None

    route = Route(
        mount=MountEntry(path="database/", type="database", uuid="u", accessor="a"),
        backend=Backend(paths=[], secrets={"creds": SecretType("creds", revoke=revoke)}),
        storage=InmemStorage(),
    )
    manager = ExpirationManager(
        FullDisk(),
        clock=FakeClock(),
        revokers=Revokers(revoke_secret=_never, renew_secret=_never_renew, revoke_token=_never),
    )
    request = Request(operation=Operation.READ, path="creds/app", mount_point="database/")
    issued = Response(
        data={"username": "v-app-1"},
        secret=Secret(ttl=60, internal_data={SECRET_TYPE_KEY: "creds", "username": "v-app-1"}),
    )
    with pytest.raises(StorageError):
        await register_lease(manager, route, request, issued)
    assert revoked == [{SECRET_TYPE_KEY: "creds", "username": "v-app-1"}]
    assert manager.count() == 0
