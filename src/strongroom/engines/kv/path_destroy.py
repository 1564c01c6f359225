"""`<mount>/destroy/<path>` (kv v2): permanently remove the listed versions' data. Their
metadata stays, marked destroyed."""

from __future__ import annotations

from functools import partial

from strongroom.engines.kv._context import KVContext, check_writable
from strongroom.engines.kv._messages import ERR_NO_VERSION_DESTROY
from strongroom.engines.kv._store import storage_of
from strongroom.engines.kv._versions import change_versions, destroy, parse_versions
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, rest
from strongroom.logical import Operation, Request, Response

FIELDS = {
    "path": Field(FieldType.STRING, "Location of the secret."),
    "versions": Field(
        FieldType.COMMA_INT_SLICE,
        "The versions to destroy. Their data will be permanently deleted.",
    ),
}


async def destroy_versions(ctx: KVContext, request: Request, data: FieldData) -> Response | None:
    """Destroy `versions` of the key; 204."""
    check_writable(request)
    versions = parse_versions(data, ERR_NO_VERSION_DESTROY)
    await change_versions(ctx, storage_of(request), data.string("path"), versions, destroy)
    return None


def destroy_path(ctx: KVContext) -> Path:
    """The `destroy/<path>` path bound to `ctx`."""
    return Path(
        pattern=lit("destroy/") + rest("path"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(destroy_versions, ctx),
                summary="Permanently remove versions of the secret.",
                operation_id="kv-write-destroy-path",
            )
        },
        fields=FIELDS,
        synopsis="Permanently removes one or more versions in the KV store",
        description="Permanently removes the specified version numbers for the provided key "
        "from the key-value store.",
    )


__all__ = ["destroy_path", "destroy_versions"]
