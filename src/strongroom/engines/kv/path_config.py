"""`<mount>/config` (kv v2): mount-wide max_versions, cas_required, delete_version_after and
metadata_cas_required. A write changes only the fields it names."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from strongroom.engines.kv._context import KVContext
from strongroom.engines.kv._model import as_uint32
from strongroom.engines.kv._store import load_config, save_config, storage_of
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit
from strongroom.logical import Operation, Request, Response

FIELDS = {
    "max_versions": Field(
        FieldType.INT, "The number of versions to keep for each key. Defaults to 10."
    ),
    "cas_required": Field(
        FieldType.BOOL,
        "If true, the backend will require the cas parameter to be set for each write.",
    ),
    "delete_version_after": Field(
        FieldType.SIGNED_DURATION,
        "If set, the length of time before a version is deleted. A negative duration disables "
        "the use of delete_version_after on all keys. A zero duration clears the setting.",
    ),
    "metadata_cas_required": Field(
        FieldType.BOOL,
        "If true, the backend will require the metadata_cas parameter for each metadata update.",
    ),
}


async def read_config(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """The mount settings, with defaults for a mount never configured."""
    config = await load_config(storage_of(request))
    return Response.of(config.render())


async def write_config(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """Update the named settings (max_versions is a uint32: -1 wraps, as in OpenBao)."""
    storage = storage_of(request)
    async with ctx.config_lock():
        config = await load_config(storage)
        if data.has("max_versions"):
            config = replace(config, max_versions=as_uint32(data.integer("max_versions")))
        if data.has("cas_required"):
            config = replace(config, cas_required=data.boolean("cas_required"))
        if data.has("delete_version_after"):
            config = replace(config, delete_version_after=data.duration("delete_version_after"))
        if data.has("metadata_cas_required"):
            config = replace(config, metadata_cas_required=data.boolean("metadata_cas_required"))
        await save_config(storage, config)
    return None


def config_path(ctx: KVContext) -> Path:
    """The `config` path bound to `ctx`."""
    return Path(
        pattern=lit("config"),
        operations={
            Operation.READ: OperationSpec(
                partial(read_config, ctx),
                summary="Read the backend level settings.",
                operation_id="kv-read-config",
            ),
            Operation.UPDATE: OperationSpec(
                partial(write_config, ctx),
                summary="Configure backend level settings that are applied to every key in the "
                "key-value store.",
                operation_id="kv-write-config",
            ),
        },
        fields=FIELDS,
        synopsis="Configures settings for the KV store",
        description="This path configures backend level settings that are applied to every key "
        "in the key-value store: how many versions to keep, whether writes need check-and-set, "
        "and how long versions live.",
    )


__all__ = ["config_path", "read_config", "write_config"]
