"""Shared builders for the audit tests."""

from __future__ import annotations

from strongroom.audit import AuditEntry, Salter
from strongroom.logical import Auth, Connection, Operation, Request, Response, TokenInfo, WrapInfo
from strongroom.sensitive import SecretValue

ROOT_TOKEN = "s.rootTOKENvalue123"
ACCESSOR = "accessorXYZ789"
SECRET = "hunter2-topsecret"
SALTER = Salter(b"\x01" * 32)


def token() -> TokenInfo:
    return TokenInfo(
        accessor=ACCESSOR,
        policies=("root",),
        token_id=SecretValue(ROOT_TOKEN),
        display_name="token",
        ttl=0,
    )


def request(op: Operation = Operation.UPDATE, data: dict[str, object] | None = None) -> Request:
    return Request(
        operation=op,
        path="data/foo",
        id="req-1",
        data=dict(data or {}),
        client_token=SecretValue(ROOT_TOKEN),
        connection=Connection("127.0.0.1", 48176),
        mount_point="secret/",
        mount_type="kv",
        mount_accessor="kv_1234",
        token=token(),
    )


def entry(response: Response | None = None, **kw: object) -> AuditEntry:
    req = kw.pop("req", None) or request(data={"pw": SECRET, "n": 3})
    return AuditEntry(request=req, time=1_800_000_000.5, response=response, **kw)  # type: ignore[arg-type]


def login_response() -> Response:
    return Response(
        auth=Auth(
            client_token="s.newTOKEN456",
            accessor="newACCESSOR",
            policies=("default",),
            token_policies=("default",),
            metadata={"username": "bob"},
            lease_duration=3600,
            display_name="userpass-bob",
        ),
        wrap_info=WrapInfo(token="s.wrapTOKEN", accessor="wrapACC", ttl=60),
    )
