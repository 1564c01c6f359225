"""The routing step: one routed Request that carries every field the HTTP layer set."""

from __future__ import annotations

import dataclasses

from strongroom.core.pipeline import route
from strongroom.core.router import Route
from strongroom.framework import Backend
from strongroom.logical import Connection, Operation, Request, TokenInfo
from strongroom.logical.mounts import MountEntry
from strongroom.sensitive import SecretValue
from strongroom.storage import InmemStorage

# A value unlike the default for every field of Request.
INCOMING: dict[str, object] = {
    "operation": Operation.UPDATE,
    "path": "secret/data/app",
    "id": "request-id",
    "data": {"k": "v"},
    "client_token": SecretValue("hvs.x"),
    "headers": {"x-vault-token": "hvs.x"},
    "connection": Connection("10.0.0.1", 4242, tls=True),
    "mount_point": "stale/",
    "mount_type": "stale",
    "mount_accessor": "stale_1",
    "storage": InmemStorage(),
    "token": TokenInfo(accessor="stale", policies=(), token_id=SecretValue("stale")),
    "wrap_ttl": 60,
    "unauthenticated": False,
    "sudo": True,
}
ROUTED = {"path", "mount_point", "mount_type", "mount_accessor", "storage", "token"}


def test_every_request_field_is_routed_or_carried() -> None:
    assert set(INCOMING) == {f.name for f in dataclasses.fields(Request)}  # a new field? add it
    incoming = Request(**INCOMING)  # type: ignore[arg-type]
    mount = MountEntry.new("token/", "token", table="auth")
    target = Route(mount=mount, backend=Backend(paths=[]), storage=InmemStorage())
    token = TokenInfo(accessor="a", policies=("p",), token_id=SecretValue("hvs.x"))
    routed = route(incoming, target, "data/app", token, True)
    for name in set(INCOMING) - ROUTED - {"unauthenticated"}:
        assert getattr(routed, name) is getattr(incoming, name), name
    assert routed.path == "data/app"
    assert routed.mount_point == target.mount_point == "auth/token/"
    assert (routed.mount_type, routed.mount_accessor) == ("token", mount.accessor)
    assert routed.storage is target.storage and routed.token is token
    assert routed.unauthenticated is True
