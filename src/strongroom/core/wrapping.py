"""Response wrapping: a response replaced by a single-use token whose cubbyhole holds it.

The wrapping token has only the `response-wrapping` policy (it may unwrap, look itself up and
rewrap, nothing else), one use, and the requested TTL. Unwrapping revokes it, so a wrapped
secret can be read exactly once.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from typing import TYPE_CHECKING

from strongroom.barrier import StorageView
from strongroom.clock import rfc3339
from strongroom.errors import InvalidRequest
from strongroom.logical import Auth, Request, Response, Secret, WrapInfo
from strongroom.storage import Entry, Storage
from strongroom.tokens import TokenEntry
from strongroom.types import JSONDict

if TYPE_CHECKING:
    from strongroom.core.core import Core

WRAPPING_POLICY = "response-wrapping"
# vault-compat: paths a wrapping token may call, and the error for a bad wrapping token
WRAPPING_PATHS = frozenset({"sys/wrapping/unwrap", "sys/wrapping/lookup", "sys/wrapping/rewrap"})
ERR_BAD_WRAPPING_TOKEN = "wrapping token is not valid or does not exist"
_MAX_WRAP_TTL = 32 * 86400


def is_wrapping_token(policies: tuple[str, ...]) -> bool:
    return policies == (WRAPPING_POLICY,)


def _cubbyhole(core: Core, token_id: str) -> Storage:
    for mounted in core.router.routes():
        if mounted.mount.type == "cubbyhole":
            return StorageView(mounted.storage, token_id + "/")
    raise InvalidRequest("no cubbyhole mount to hold the wrapped response")


def _serialize(response: Response) -> bytes:
    body: JSONDict = {"data": response.data, "warnings": list(response.warnings)}
    if response.auth is not None:
        auth = asdict(response.auth)
        auth["metadata"] = dict(response.auth.metadata)
        auth["internal_data"] = {}
        body["auth"] = auth
    if response.secret is not None:
        body["secret"] = {
            "lease_id": response.secret.lease_id,
            "ttl": response.secret.ttl,
            "renewable": response.secret.renewable,
        }
    return json.dumps(body).encode()


def _deserialize(blob: bytes) -> Response:
    body = json.loads(blob)
    auth = None
    if body.get("auth"):
        raw = body["auth"]
        for key in ("policies", "token_policies", "identity_policies", "bound_cidrs"):
            raw[key] = tuple(raw.get(key, ()))
        auth = Auth(**raw)
    secret = Secret(**body["secret"]) if body.get("secret") else None
    return Response(
        data=body.get("data"), auth=auth, secret=secret, warnings=tuple(body.get("warnings", ()))
    )


async def wrap(core: Core, request: Request, response: Response, ttl: int) -> Response:
    """Replace `response` by a wrapping token (its content moves into the token's cubbyhole)."""
    if ttl > _MAX_WRAP_TTL:
        raise InvalidRequest("wrapping TTL is too large")
    now = core.clock.now()
    template = TokenEntry(
        id="",
        accessor="",
        policies=(WRAPPING_POLICY,),
        path=request.full_path,
        display_name="response-wrapping",
        num_uses=1,
        creation_time=now,
        ttl=ttl,
        expire_time=now + ttl,
        orphan=True,
        renewable=False,
    )
    token, entry = await core.tokens.store(template)
    await _cubbyhole(core, entry.id).put(Entry("response", _serialize(response)))
    info = WrapInfo(
        token=token,
        accessor=entry.accessor,
        ttl=ttl,
        creation_time=rfc3339(now),
        creation_path=request.full_path,
        wrapped_accessor=response.auth.accessor if response.auth is not None else "",
    )
    return Response(wrap_info=info)


async def wrapping_entry(core: Core, token: str, caller: Request) -> TokenEntry:
    """The live wrapping token `token` (also while it is being used for this very call)."""
    entry = await core.tokens.lookup(token)
    if entry is None and caller.token is not None and caller.token.token_id.reveal() == token:
        entry = await core.tokens.entry(caller.token.entry_id)
    if entry is None or not is_wrapping_token(entry.policies):
        raise InvalidRequest(ERR_BAD_WRAPPING_TOKEN)
    return entry


async def unwrap(core: Core, token: str, caller: Request) -> Response:
    """The wrapped response; the wrapping token is revoked, so this works once."""
    entry = await wrapping_entry(core, token, caller)
    stored = await _cubbyhole(core, entry.id).get("response")
    await core.tokens.revoke_tree(entry)
    if stored is None:
        raise InvalidRequest(ERR_BAD_WRAPPING_TOKEN)
    return _deserialize(stored.value)


async def lookup(core: Core, token: str) -> JSONDict:
    entry = await core.tokens.lookup(token)
    if entry is None or not is_wrapping_token(entry.policies):
        raise InvalidRequest(ERR_BAD_WRAPPING_TOKEN)
    return {
        "creation_path": entry.path,
        "creation_time": rfc3339(entry.creation_time),
        "creation_ttl": entry.ttl,
    }


async def rewrap(core: Core, token: str, caller: Request) -> Response:
    """A new wrapping token for the same content; the old one is revoked."""
    entry = await wrapping_entry(core, token, caller)
    stored = await _cubbyhole(core, entry.id).get("response")
    if stored is None:
        raise InvalidRequest(ERR_BAD_WRAPPING_TOKEN)
    await core.tokens.revoke_tree(entry)
    origin = replace(caller, path=entry.path, mount_point="")
    return await wrap(core, origin, _deserialize(stored.value), entry.ttl)


__all__ = [
    "ERR_BAD_WRAPPING_TOKEN",
    "WRAPPING_PATHS",
    "WRAPPING_POLICY",
    "is_wrapping_token",
    "lookup",
    "rewrap",
    "unwrap",
    "wrap",
]
