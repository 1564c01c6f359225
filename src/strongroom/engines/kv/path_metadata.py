"""`<mount>/metadata/<path>` (kv v2): a key's settings, custom metadata and version history.

GET reads it; POST/PUT sets the named fields (creating the key's metadata if needed); PATCH
merge-patches them; DELETE removes the key with every version; LIST lists keys. Changes
count in `current_metadata_version`, which `metadata_cas` checks. A write naming none of the
settable fields changes nothing, as in OpenBao.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TypedDict

from strongroom.engines.kv._context import KVContext, check_writable
from strongroom.engines.kv._custom_metadata import (
    coerce_custom_metadata,
    patch_custom_metadata,
    validate_custom_metadata,
)
from strongroom.engines.kv._messages import (
    ERR_METADATA_CAS_MISMATCH,
    ERR_METADATA_CAS_NEW,
    ERR_METADATA_CAS_REQUIRED,
    ERR_NEGATIVE_DVA,
    ERR_NEGATIVE_DVA_PATCH,
    ERR_NEGATIVE_MAX_VERSIONS_PATCH,
)
from strongroom.engines.kv._model import Config, KeyMetadata, as_uint32, metadata_cas_required
from strongroom.engines.kv._store import (
    apply,
    delete_metadata,
    delete_version,
    list_keys,
    load_config,
    load_metadata,
    put_metadata,
    storage_of,
)
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, rest
from strongroom.logical import Operation, Request, Response
from strongroom.types import JSON

FIELDS = {
    "path": Field(FieldType.STRING, "Location of the secret."),
    "max_versions": Field(
        FieldType.INT,
        "The number of versions to keep. If not set, the backend's configured max version is used.",
    ),
    "cas_required": Field(
        FieldType.BOOL,
        "If true the key will require the cas parameter to be set on all write requests. If "
        "false, the backend's configuration will be used.",
    ),
    "delete_version_after": Field(
        FieldType.DURATION,
        "The length of time before a version is deleted. If not set, the backend's configured "
        "delete_version_after is used. Cannot be greater than the backend's "
        "delete_version_after. A zero duration clears the current setting. A negative "
        "duration will cause an error.",
    ),
    "custom_metadata": Field(
        FieldType.MAP,
        "User-provided key-value pairs that are used to describe arbitrary and "
        "version-agnostic information about a secret.",
    ),
    "metadata_cas": Field(
        FieldType.INT,
        "Check-and-set parameter for metadata updates. Must match the current metadata version "
        "for the update to succeed. Set to 0 for initial metadata creation.",
    ),
    "metadata_cas_required": Field(
        FieldType.BOOL,
        "If true the key will require the metadata_cas parameter on all metadata update "
        "requests. If false, the backend's configuration will be used.",
    ),
    "after": Field(
        FieldType.STRING,
        "Optional entry to list begin listing after, not required to exist. Only used for listing.",
        query=True,
    ),
    "limit": Field(
        FieldType.INT,
        "Optional number of entries to return; defaults to all entries. Only used for listing.",
        query=True,
    ),
}
SETTABLE = (
    "max_versions",
    "cas_required",
    "delete_version_after",
    "custom_metadata",
    "metadata_cas_required",
)


class Changes(TypedDict, total=False):
    """The settings a metadata write or patch changes."""

    max_versions: int
    cas_required: bool
    delete_version_after: int
    custom_metadata: dict[str, str]
    metadata_cas_required: bool


def _common_changes(data: FieldData, negative_dva: str) -> Changes:
    changes = Changes()
    if data.has("cas_required"):
        changes["cas_required"] = data.boolean("cas_required")
    if data.has("metadata_cas_required"):
        changes["metadata_cas_required"] = data.boolean("metadata_cas_required")
    if data.has("delete_version_after"):
        seconds = data.duration("delete_version_after")
        if seconds < 0:
            raise InvalidRequest(negative_dva.format(seconds))
        changes["delete_version_after"] = seconds
    return changes


def _custom_metadata_patch(data: FieldData) -> dict[str, JSON] | None:
    return None if data.raw["custom_metadata"] is None else data.mapping("custom_metadata")


def _check_metadata_cas(config: Config, meta: KeyMetadata | None, cas: int | None) -> None:
    if cas is None:
        if metadata_cas_required(config, meta):
            raise InvalidRequest(ERR_METADATA_CAS_REQUIRED)
        return
    if meta is None:
        if cas != 0:
            raise InvalidRequest(ERR_METADATA_CAS_NEW)
        return
    if cas != meta.current_metadata_version:
        raise InvalidRequest(ERR_METADATA_CAS_MISMATCH)


def _metadata_cas(data: FieldData) -> int | None:
    return data.integer("metadata_cas") if data.has("metadata_cas") else None


async def read_metadata(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """The key's settings and version history; None (404) for an unknown key."""
    key = data.string("path")
    if key == "" or key.endswith("/"):
        return None
    meta = await load_metadata(storage_of(request), key)
    return None if meta is None else Response.of(meta.render())


async def write_metadata(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """Set the named fields; custom_metadata is replaced as a whole."""
    check_writable(request)
    if not any(data.has(name) for name in SETTABLE):
        return None
    changes = _common_changes(data, ERR_NEGATIVE_DVA)
    if data.has("max_versions"):
        changes["max_versions"] = as_uint32(data.integer("max_versions"))
    if data.has("custom_metadata"):
        custom = coerce_custom_metadata(_custom_metadata_patch(data) or {})
        validate_custom_metadata(custom)
        changes["custom_metadata"] = custom
    key = data.string("path")
    storage = storage_of(request)
    async with ctx.key_lock(key):
        meta = await load_metadata(storage, key)
        _check_metadata_cas(await load_config(storage), meta, _metadata_cas(data))
        now = ctx.now()
        base = meta if meta is not None else KeyMetadata(key=key, created=now, updated=now)
        updated = replace(
            base,
            **changes,
            current_metadata_version=base.current_metadata_version + 1,
            updated=now,
        )
        await apply(storage, [put_metadata(updated)])
    return None


async def patch_metadata(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """Merge-patch the named fields (null resets one; custom_metadata merges key by key)."""
    check_writable(request)
    changes = _common_changes(data, ERR_NEGATIVE_DVA_PATCH)
    if data.has("max_versions"):
        max_versions = data.integer("max_versions")
        if max_versions < 0:
            raise InvalidRequest(ERR_NEGATIVE_MAX_VERSIONS_PATCH.format(max_versions))
        changes["max_versions"] = max_versions
    key = data.string("path")
    storage = storage_of(request)
    async with ctx.key_lock(key):
        meta = await load_metadata(storage, key)
        if meta is None:
            return Response(status=404)
        if not any(data.has(name) for name in SETTABLE):
            return None
        if data.has("custom_metadata"):
            custom = patch_custom_metadata(meta.custom_metadata, _custom_metadata_patch(data))
            validate_custom_metadata(custom)
            changes["custom_metadata"] = custom
        _check_metadata_cas(await load_config(storage), meta, _metadata_cas(data))
        updated = replace(
            meta,
            **changes,
            current_metadata_version=meta.current_metadata_version + 1,
            updated=ctx.now(),
        )
        await apply(storage, [put_metadata(updated)])
    return None


async def delete_metadata_and_versions(
    ctx: KVContext, request: Request, data: FieldData
) -> Response | None:
    """Remove the key: its metadata and every version's data."""
    key = data.string("path")
    storage = storage_of(request)
    async with ctx.key_lock(key):
        meta = await load_metadata(storage, key)
        if meta is None:
            return None
        ops = [delete_version(key, n) for n in meta.versions]
        await apply(storage, [*ops, delete_metadata(key)])
    return None


async def list_metadata(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """Keys under the path (folders end in "/"); None (404) when there are none."""
    keys = await list_keys(
        storage_of(request), data.string("path"), data.string("after"), data.integer("limit")
    )
    return Response.of({"keys": keys}) if keys else None


async def metadata_exists(ctx: KVContext, request: Request, data: FieldData) -> bool:
    """A metadata write is an update once the key exists."""
    key = data.string("path")
    return key != "" and await load_metadata(storage_of(request), key) is not None


def metadata_path(ctx: KVContext) -> Path:
    """The `metadata/<path>` path bound to `ctx`."""
    specs = {
        Operation.READ: (read_metadata, "Read the key's metadata and version history.", "read"),
        Operation.UPDATE: (write_metadata, "Set the key's settings and custom metadata.", "write"),
        Operation.PATCH: (patch_metadata, "Patch the key's settings and custom metadata.", "patch"),
        Operation.DELETE: (
            delete_metadata_and_versions,
            "Delete the key's metadata and every version.",
            "delete",
        ),
        Operation.LIST: (list_metadata, "List the keys under a path.", "list"),
    }
    return Path(
        pattern=lit("metadata/") + rest("path"),
        operations={
            op: OperationSpec(
                partial(fn, ctx), summary=summary, operation_id=f"kv-{verb}-metadata-path"
            )
            for op, (fn, summary, verb) in specs.items()
        },
        fields=FIELDS,
        exists=partial(metadata_exists, ctx),
        synopsis="Allows interaction with key metadata and settings in the KV store.",
        description="Reads and writes a key's settings (max_versions, cas_required, "
        "delete_version_after, metadata_cas_required), its custom metadata and version "
        "history. Deleting the metadata permanently removes every version of the key.",
    )


__all__ = [
    "delete_metadata_and_versions",
    "list_metadata",
    "metadata_path",
    "patch_metadata",
    "read_metadata",
    "write_metadata",
]
