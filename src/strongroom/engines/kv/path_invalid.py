"""The kv v2 catch-alls: any path outside config, data/, metadata/, subkeys/, delete/,
undelete/, destroy/ and detailed-metadata/ answers 404 with data null and a warning, as
OpenBao does (clients used to kv v1 paths get a hint instead of a bare 404).

These paths must come last in the backend's list: they match everything.
"""

from __future__ import annotations

from strongroom.engines.kv._context import check_writable
from strongroom.engines.kv._messages import WARN_INVALID_PATH, WARN_ROOT
from strongroom.framework import Field, FieldData, FieldType, Path, one_of, rest
from strongroom.logical import Operation, Request, Response

# the `bao kv` subcommand OpenBao suggests for each operation
_CLI_VERBS = {
    Operation.READ: "get",
    Operation.LIST: "list",
    Operation.CREATE: "put",
    Operation.UPDATE: "put",
    Operation.PATCH: "patch",
    Operation.DELETE: "delete",
}
_OPERATIONS = (
    Operation.READ,
    Operation.LIST,
    Operation.UPDATE,
    Operation.PATCH,
    Operation.DELETE,
)


async def root_of_mount(request: Request, data: FieldData) -> Response | None:
    """`data`, `metadata`, `delete`, `undelete`, `destroy` without a key."""
    return Response(warnings=(WARN_ROOT,), status=404)


async def invalid_path(request: Request, data: FieldData) -> Response | None:
    """Anything else, e.g. a kv v1 style `secret/foo`."""
    if request.operation in (Operation.UPDATE, Operation.CREATE, Operation.PATCH):
        check_writable(request)
    verb = _CLI_VERBS.get(request.operation, "get")
    return Response(warnings=(WARN_INVALID_PATH.format(verb),), status=404)


ROOT_PATH = Path(
    pattern=one_of("data", "metadata", "delete", "undelete", "destroy"),
    operations=dict.fromkeys(_OPERATIONS, root_of_mount),
    take_unknown_fields=True,
    synopsis="Non-listing operations on the root of a K/V v2 mount are not supported.",
    description="Use data/<path>, metadata/<path>, delete/<path>, undelete/<path> or "
    "destroy/<path>; LIST metadata/ lists the keys.",
)

INVALID_PATH = Path(
    pattern=rest("path"),
    operations=dict.fromkeys(_OPERATIONS, invalid_path),
    fields={"path": Field(FieldType.STRING, "The path that matched no kv v2 endpoint.")},
    take_unknown_fields=True,
    synopsis="Invalid path for a versioned K/V secrets engine.",
    description="Paths of a kv v2 mount start with config, data/, metadata/, subkeys/, "
    "delete/, undelete/, destroy/ or detailed-metadata/.",
)

__all__ = ["INVALID_PATH", "ROOT_PATH", "invalid_path", "root_of_mount"]
