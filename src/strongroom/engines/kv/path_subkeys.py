"""`<mount>/subkeys/<path>` (kv v2): the shape of a version's data with every value replaced
by null, down to `depth` levels (0: all of them)."""

from __future__ import annotations

from functools import partial

from strongroom.engines.kv._context import KVContext
from strongroom.engines.kv._store import storage_of
from strongroom.engines.kv._versions import read_version
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, rest
from strongroom.logical import Operation, Request, Response
from strongroom.types import JSON, JSONDict

FIELDS = {
    "path": Field(FieldType.STRING, "Location of the secret."),
    "version": Field(
        FieldType.INT, "The version to read; the latest when not set or 0.", query=True
    ),
    "depth": Field(
        FieldType.INT,
        "How deep to descend into nested maps; 0 (the default) means no limit.",
        query=True,
    ),
}


def subkeys(data: JSON, depth: int) -> JSONDict | None:
    """The key structure of a version's data.

    Nested non-empty maps are descended into while the level is below `depth`; every other
    value (empty maps and arrays included) becomes null. OpenBao treats a negative depth
    like 1.
    """
    if not isinstance(data, dict):
        return None
    limit = None if depth == 0 else max(depth, 1)
    return _walk(data, 1, limit)


def _walk(node: JSONDict, level: int, limit: int | None) -> JSONDict:
    out: JSONDict = {}
    for key, value in node.items():
        descend = isinstance(value, dict) and value and (limit is None or level < limit)
        out[key] = _walk(value, level + 1, limit) if descend else None
    return out


async def read_subkeys(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """A version's key structure and metadata; 404 with a body for a deleted one."""
    read = await read_version(
        storage_of(request), data.string("path"), data.integer("version"), ctx.now()
    )
    if read is None:
        return None
    if not read.readable:
        return Response(data={"metadata": read.metadata(), "subkeys": None}, status=404)
    body = {"metadata": read.metadata(), "subkeys": subkeys(read.data, data.integer("depth"))}
    return Response.of(body)


def subkeys_path(ctx: KVContext) -> Path:
    """The `subkeys/<path>` path bound to `ctx`."""
    return Path(
        pattern=lit("subkeys/") + rest("path"),
        operations={
            Operation.READ: OperationSpec(
                partial(read_subkeys, ctx),
                summary="Read the structure of a version of the secret, without its values.",
                operation_id="kv-read-subkeys-path",
            )
        },
        fields=FIELDS,
        synopsis="Read the structure of a secret entry from the Key-Value store with the "
        "values removed.",
        description="Returns the keys of a version's data, nested maps descended into up to "
        "`depth` levels, with null in place of every value.",
    )


__all__ = ["read_subkeys", "subkeys", "subkeys_path"]
