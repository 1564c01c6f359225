"""`<mount>/data/<path>` (kv v2): read a version, write a new one, merge-patch the latest, and
soft-delete the latest.

A read of a deleted, expired or destroyed version answers 404 *with* a body (data null plus
the version metadata), as OpenBao does; the `bao kv get` CLI relies on that body. A PATCH whose
target is missing answers 404 with no body; one whose latest version is deleted answers 404
with the version metadata as data.
"""

from __future__ import annotations

from functools import partial

from strongroom.engines.kv._context import KVContext, check_writable
from strongroom.engines.kv._merge_patch import merge_patch
from strongroom.engines.kv._messages import ERR_NO_DATA, ERR_PATCH_NULL, multierror
from strongroom.engines.kv._store import (
    apply,
    load_config,
    load_metadata,
    load_version,
    storage_of,
)
from strongroom.engines.kv._versions import (
    add_version,
    change_versions,
    check_cas,
    parse_cas,
    read_version,
    soft_delete,
)
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, rest
from strongroom.logical import Operation, Request, Response
from strongroom.types import JSON

FIELDS = {
    "path": Field(FieldType.STRING, "Location of the secret."),
    "version": Field(
        FieldType.INT,
        "If provided during a read, the value at the version number will be returned",
        query=True,
    ),
    "options": Field(
        FieldType.MAP,
        'Options for writing a KV entry. Set the "cas" value to use a Check-And-Set '
        "operation. If not set the write will be allowed. If set to 0 a write will only be "
        "allowed if the key doesn't exist. If the index is non-zero the write will only be "
        "allowed if the key's current version matches the version specified in the cas "
        "parameter.",
    ),
    "data": Field(
        FieldType.MAP, "The contents of the data map will be stored and returned on read."
    ),
}


def _payload(data: FieldData) -> JSON:
    """The `data` field: a map, or JSON null (stored as a version with null data)."""
    if not data.has("data"):
        raise InvalidRequest(ERR_NO_DATA)
    return None if data.raw["data"] is None else data.mapping("data")


async def read_data(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """A version's data and metadata; `version` <= 0 means the latest."""
    read = await read_version(
        storage_of(request), data.string("path"), data.integer("version"), ctx.now()
    )
    if read is None:
        return None
    if not read.readable:
        return Response(data={"data": None, "metadata": read.metadata()}, status=404)
    return Response.of({"data": read.data, "metadata": read.metadata()})


async def write_data(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """A new version (check-and-set with `options.cas`); answers the version's metadata."""
    check_writable(request)
    key = data.string("path")
    payload = _payload(data)
    cas = parse_cas(data.mapping("options"))
    storage = storage_of(request)
    async with ctx.key_lock(key):
        config = await load_config(storage)
        meta = await load_metadata(storage, key)
        check_cas(config, meta, cas)
        updated, version, ops = add_version(config, meta, key, payload, ctx.now())
        await apply(storage, ops)
    return Response.of(updated.version_metadata(version, updated.versions[version]))


async def patch_data(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """A new version: the latest one's data merge-patched (RFC 7386) with `data`."""
    check_writable(request)
    key = data.string("path")
    patch = _payload(data)
    cas = parse_cas(data.mapping("options"))
    storage = storage_of(request)
    async with ctx.key_lock(key):
        config = await load_config(storage)
        meta = await load_metadata(storage, key)
        if meta is None:
            return Response(status=404)
        check_cas(config, meta, cas)
        now = ctx.now()
        info = meta.versions.get(meta.current_version)
        if info is None:
            return Response(status=404)
        if not info.readable(now):
            return Response(data=meta.version_metadata(meta.current_version, info), status=404)
        found, current = await load_version(storage, key, meta.current_version)
        if not found:
            return Response(status=404)
        if current is None:
            raise InvalidRequest(multierror([ERR_PATCH_NULL]))
        updated, version, ops = add_version(config, meta, key, merge_patch(current, patch), now)
        await apply(storage, ops)
    return Response.of(updated.version_metadata(version, updated.versions[version]))


async def delete_data(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """Soft-delete the latest version (undelete brings it back)."""
    await change_versions(ctx, storage_of(request), data.string("path"), None, soft_delete)
    return None


async def data_exists(ctx: KVContext, request: Request, data: FieldData) -> bool:
    """A write is an update once the key has metadata (even with every version deleted)."""
    key = data.string("path")
    return key != "" and await load_metadata(storage_of(request), key) is not None


def data_path(ctx: KVContext) -> Path:
    """The `data/<path>` path bound to `ctx`."""
    return Path(
        pattern=lit("data/") + rest("path"),
        operations={
            Operation.READ: OperationSpec(
                partial(read_data, ctx),
                summary="Read a version of the secret (the latest by default).",
                operation_id="kv-read-data-path",
            ),
            Operation.UPDATE: OperationSpec(
                partial(write_data, ctx),
                summary="Write a new version of the secret.",
                operation_id="kv-write-data-path",
            ),
            Operation.PATCH: OperationSpec(
                partial(patch_data, ctx),
                summary="Patch the latest version of the secret with a JSON merge patch.",
                operation_id="kv-patch-data-path",
            ),
            Operation.DELETE: OperationSpec(
                partial(delete_data, ctx),
                summary="Soft-delete the latest version of the secret.",
                operation_id="kv-delete-data-path",
            ),
        },
        fields=FIELDS,
        exists=partial(data_exists, ctx),
        synopsis="Write, Patch, Read, and Delete data in the Key-Value Store.",
        description="Versioned secret data. A write creates a new version (optionally with "
        "check-and-set), a patch merges into the latest version, a delete marks the latest "
        "version deleted; reads return a version's data and metadata.",
    )


__all__ = ["data_path", "delete_data", "patch_data", "read_data", "write_data"]
