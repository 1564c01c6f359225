"""kv v1 (`<mount>/<path>`): unversioned secrets stored as given, one JSON object per path.

Any JSON object is a secret, so the path takes every field. A `ttl` (or, without one, `lease`)
field in a secret is a lease *hint*: reads carry it as `Response.secret.ttl`, so that the
envelope's `lease_duration` shows it, as OpenBao does. A secret without a usable hint gets
`Secret(ttl=0)`, meaning "the mount's default lease TTL" (2764800 s by default), which the core
must fill in. The core must not register these as leases: OpenBao answers kv reads with
`lease_id: ""` and `renewable: false`.
"""

from __future__ import annotations

from strongroom.durations import parse_duration
from strongroom.engines.kv._context import check_writable
from strongroom.engines.kv._messages import ERR_MISSING_DATA_FIELDS
from strongroom.engines.kv._store import load_secret, save_secret, storage_of
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, rest
from strongroom.logical import Operation, Request, Response, Secret
from strongroom.types import JSONDict

FIELDS = {"path": Field(FieldType.STRING, "Location of the secret.")}


def lease_hint(secret: JSONDict) -> int | None:
    """Seconds from the secret's `ttl` (else `lease`) field; None when absent or unusable.

    OpenBao parses it as a duration ("1h", "90", 60); null and "" give 0, and a value it
    cannot parse (a float, a bool, "abc") is ignored in favour of the mount default.
    """
    name = "ttl" if "ttl" in secret else "lease" if "lease" in secret else None
    if name is None:
        return None
    value = secret[name]
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return parse_duration(value)
    except ValueError:
        return None


async def read_secret(request: Request, data: FieldData) -> Response | None:
    """The secret with its lease hint; None (404) when missing."""
    path = data.string("path")
    if path == "" or path.endswith("/"):
        return None
    secret = await load_secret(storage_of(request), path)
    if secret is None:
        return None
    hint = lease_hint(secret)
    return Response(data=secret, secret=Secret(ttl=hint if hint is not None else 0))


async def write_secret(request: Request, data: FieldData) -> Response | None:
    """Store the request body as the secret, replacing any previous one."""
    check_writable(request)
    if not request.data:
        raise InvalidRequest(ERR_MISSING_DATA_FIELDS)
    await save_secret(storage_of(request), data.string("path"), dict(request.data))
    return None


async def delete_secret(request: Request, data: FieldData) -> Response | None:
    """Remove the secret; a missing one is not an error."""
    await storage_of(request).delete(data.string("path"))
    return None


async def list_secrets(request: Request, data: FieldData) -> Response | None:
    """Children of the path (folders end in "/"); None (404) when there are none."""
    prefix = data.string("path")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    keys = await storage_of(request).list(prefix)
    return Response.of({"keys": keys}) if keys else None


async def secret_exists(request: Request, data: FieldData) -> bool:
    """A write is an update when a secret is already stored there."""
    path = data.string("path")
    return path != "" and await load_secret(storage_of(request), path) is not None


PASSTHROUGH_PATH = Path(
    pattern=rest("path"),
    operations={
        Operation.READ: OperationSpec(
            read_secret,
            summary="Retrieve the secret at the specified location.",
            operation_id="kv-read-path",
        ),
        Operation.UPDATE: OperationSpec(
            write_secret,
            summary="Store a secret at the specified location.",
            operation_id="kv-write-path",
        ),
        Operation.DELETE: OperationSpec(
            delete_secret,
            summary="Delete the secret at the specified location.",
            operation_id="kv-delete-path",
        ),
        Operation.LIST: OperationSpec(
            list_secrets,
            summary="List secret entries at the specified location.",
            operation_id="kv-list-path",
        ),
    },
    fields=FIELDS,
    exists=secret_exists,
    take_unknown_fields=True,
    synopsis="Pass-through secret storage to the storage backend, allowing you to read/write "
    "arbitrary data into secret storage.",
    description="The pass-through backend reads and writes arbitrary data into secret storage, "
    "encrypting it along the way. A `ttl` field in a secret is returned as the lease duration "
    "hint; no lease is created.",
)

__all__ = [
    "PASSTHROUGH_PATH",
    "delete_secret",
    "lease_hint",
    "list_secrets",
    "read_secret",
    "write_secret",
]
