"""`<mount>/detailed-metadata/<path>` (kv v2, OpenBao): LIST keys with each key's metadata in
`key_info` ({} for folders), paginated like `metadata/` with `after` and `limit`."""

from __future__ import annotations

from functools import partial

from strongroom.engines.kv._context import KVContext
from strongroom.engines.kv._store import list_keys, load_metadata, storage_of
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, rest
from strongroom.logical import Operation, Request, Response
from strongroom.types import JSONDict

FIELDS = {
    "path": Field(FieldType.STRING, "Location of the secrets to list."),
    "after": Field(
        FieldType.STRING, "Optional entry to begin listing after; need not exist.", query=True
    ),
    "limit": Field(
        FieldType.INT, "Optional number of entries to return; defaults to all.", query=True
    ),
}


async def list_detailed(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """Keys under the path with their metadata; None (404) when there are none."""
    storage = storage_of(request)
    prefix = data.string("path")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    keys = await list_keys(storage, prefix, data.string("after"), data.integer("limit"))
    if not keys:
        return None
    info: JSONDict = {}
    for key in keys:
        meta = None if key.endswith("/") else await load_metadata(storage, prefix + key)
        info[key] = {} if meta is None else meta.render()
    return Response.of({"key_info": info, "keys": keys})


def detailed_metadata_path(ctx: KVContext) -> Path:
    """The `detailed-metadata/<path>` path bound to `ctx`."""
    return Path(
        pattern=lit("detailed-metadata/") + rest("path"),
        operations={
            Operation.LIST: OperationSpec(
                partial(list_detailed, ctx),
                summary="List keys with their metadata.",
                operation_id="kv-list-detailed-metadata-path",
            )
        },
        fields=FIELDS,
        synopsis="Allows listing detailed information about key metadata in the KV store.",
        description="Lists the keys under a path like metadata/, and returns each key's "
        "metadata (as a metadata read would) in key_info.",
    )


__all__ = ["detailed_metadata_path", "list_detailed"]
