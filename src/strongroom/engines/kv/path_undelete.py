"""`<mount>/undelete/<path>` (kv v2): restore soft-deleted (or expired) versions. Destroyed
versions stay destroyed; a restored version's expiry restarts from now."""

from __future__ import annotations

from functools import partial

from strongroom.engines.kv._context import KVContext, check_writable
from strongroom.engines.kv._messages import ERR_NO_VERSION
from strongroom.engines.kv._store import storage_of
from strongroom.engines.kv._versions import change_versions, parse_versions, undelete
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, rest
from strongroom.logical import Operation, Request, Response

FIELDS = {
    "path": Field(FieldType.STRING, "Location of the secret."),
    "versions": Field(
        FieldType.COMMA_INT_SLICE,
        "The versions to unarchive. The versions will be restored and their data will be "
        "returned on normal get requests.",
    ),
}


async def undelete_versions(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """Restore `versions` of the key; 204."""
    check_writable(request)
    versions = parse_versions(data, ERR_NO_VERSION)
    await change_versions(ctx, storage_of(request), data.string("path"), versions, undelete)
    return None


def undelete_path(ctx: KVContext) -> Path:
    """The `undelete/<path>` path bound to `ctx`."""
    return Path(
        pattern=lit("undelete/") + rest("path"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(undelete_versions, ctx),
                summary="Restore deleted versions of the secret.",
                operation_id="kv-write-undelete-path",
            )
        },
        fields=FIELDS,
        synopsis="Undeletes one or more versions from the KV store.",
        description="Undeletes the data for the provided versions and path in the key-value "
        "store. This restores the data, allowing it to be returned on get requests.",
    )


__all__ = ["undelete_path", "undelete_versions"]
