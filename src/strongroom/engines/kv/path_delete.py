"""`<mount>/delete/<path>` (kv v2): soft-delete the listed versions. Versions that do not
exist, are already deleted or are destroyed are left as they are."""

from __future__ import annotations

from functools import partial

from strongroom.engines.kv._context import KVContext, check_writable
from strongroom.engines.kv._messages import ERR_NO_VERSION
from strongroom.engines.kv._store import storage_of
from strongroom.engines.kv._versions import change_versions, parse_versions, soft_delete
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, rest
from strongroom.logical import Operation, Request, Response

FIELDS = {
    "path": Field(FieldType.STRING, "Location of the secret."),
    "versions": Field(
        FieldType.COMMA_INT_SLICE,
        "The versions to be archived. The versioned data will not be deleted, but it will no "
        "longer be returned in normal get requests.",
    ),
}


async def delete_versions(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """Soft-delete `versions` of the key; 204."""
    check_writable(request)
    versions = parse_versions(data, ERR_NO_VERSION)
    await change_versions(ctx, storage_of(request), data.string("path"), versions, soft_delete)
    return None


def delete_path(ctx: KVContext) -> Path:
    """The `delete/<path>` path bound to `ctx`."""
    return Path(
        pattern=lit("delete/") + rest("path"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(delete_versions, ctx),
                summary="Mark versions of the secret deleted.",
                operation_id="kv-write-delete-path",
            )
        },
        fields=FIELDS,
        synopsis="Marks one or more versions as deleted in the KV store.",
        description="Deletes the data for the provided version and path in the key-value "
        "store. The versioned data will not be fully removed, but marked as deleted and will "
        "no longer be returned in normal get requests.",
    )


__all__ = ["delete_path", "delete_versions"]
