"""`cubbyhole/`: private storage per token. Each token sees only its own cubbyhole, and the
core destroys it when the token is revoked."""

from __future__ import annotations

import json

from strongroom.barrier import StorageView
from strongroom.errors import InvalidRequest, PermissionDenied
from strongroom.framework import Backend, Field, FieldData, FieldType, Path, rest
from strongroom.logical import Operation, Request, Response
from strongroom.storage import Entry, Storage


def token_view(request: Request) -> Storage:
    """The calling token's own cubbyhole inside the mount's storage."""
    if request.token is None or not request.token.entry_id or request.storage is None:
        raise PermissionDenied()
    if request.token.token_type == "batch":
        raise InvalidRequest("cubbyhole operations are only supported by service type tokens")
    return StorageView(request.storage, request.token.entry_id + "/")


async def _read(request: Request, data: FieldData) -> Response | None:
    path = data.string("path")
    if not path:
        raise InvalidRequest("missing path")
    entry = await token_view(request).get(path)
    return None if entry is None else Response.of(json.loads(entry.value))


async def _write(request: Request, data: FieldData) -> Response | None:
    path = data.string("path")
    if not path:
        raise InvalidRequest("missing path")
    body = dict(request.data)
    if not body:
        raise InvalidRequest("missing data fields")
    await token_view(request).put(Entry(path, json.dumps(body).encode()))
    return None


async def _delete(request: Request, data: FieldData) -> Response | None:
    await token_view(request).delete(data.string("path"))
    return None


async def _list(request: Request, data: FieldData) -> Response | None:
    prefix = data.string("path")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    keys = await token_view(request).list(prefix)
    return Response.of({"keys": keys}) if keys else None


def cubbyhole_backend() -> Backend:
    """The per-token secret store."""
    return Backend(
        paths=[
            Path(
                pattern=rest("path"),
                operations={
                    Operation.READ: _read,
                    Operation.UPDATE: _write,
                    Operation.CREATE: _write,
                    Operation.DELETE: _delete,
                    Operation.LIST: _list,
                },
                fields={
                    "path": Field(FieldType.STRING, "Path of the secret inside the cubbyhole.")
                },
                take_unknown_fields=True,
                synopsis="Pass-through secret storage to a token-specific cubbyhole.",
            )
        ],
        help="Per-token private secret storage, destroyed with the token.",
    )


__all__ = ["cubbyhole_backend", "token_view"]
