"""`creds/:name` (a new leased user for a dynamic role) and `rotate-root/:name`."""

from __future__ import annotations

from strongroom.engines.database._context import DatabaseContext, storage_of
from strongroom.engines.database._credentials import issue
from strongroom.engines.database._rotation import rotate_root
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name
from strongroom.logical import Operation, Request, Response


def creds_paths(ctx: DatabaseContext) -> list[Path]:
    async def read(request: Request, data: FieldData) -> Response | None:
        return await issue(ctx, request, data.string("name"))

    async def root(request: Request, data: FieldData) -> Response | None:
        connection = data.string("name")
        async with ctx.locks.hold(connection):
            await rotate_root(ctx, storage_of(request), connection)
        return None

    return [
        Path(
            pattern=lit("creds/") + name("name"),
            fields={"name": Field(FieldType.STRING, "Name of the role.", required=True)},
            operations={Operation.READ: OperationSpec(read, operation_id="generate-credentials")},
            synopsis="Request database credentials for a certain role.",
            description=(
                "Creates a database user from the role's creation statements and returns its "
                "username and password under a lease; the user is dropped when the lease ends."
            ),
        ),
        Path(
            pattern=lit("rotate-root/") + name("name"),
            fields={
                "name": Field(FieldType.STRING, "Name of this database connection", required=True)
            },
            operations={
                Operation.UPDATE: OperationSpec(root, operation_id="rotate-root-credentials")
            },
            synopsis="Request to rotate the root credentials for a certain database connection.",
        ),
    ]


__all__ = ["creds_paths"]
