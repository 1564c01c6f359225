"""`sys/config/auditing/request-headers(/:header)`: which request headers audit records carry."""

from __future__ import annotations

from strongroom.engines.system._core import SystemCore
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, Path, lit, segment
from strongroom.logical import Operation, Request, Response


def audited_header_paths(core: SystemCore) -> list[Path]:
    async def read_all(request: Request, data: FieldData) -> Response | None:
        headers = {k: {"hmac": v} for k, v in sorted(core.audited_headers.headers.items())}
        return Response.of({"headers": headers}, top_level=True)

    async def read_one(request: Request, data: FieldData) -> Response | None:
        name = data.string("header").lower()
        if name not in core.audited_headers.headers:
            # vault-compat: unknown audited header
            raise InvalidRequest("Could not find header in config")
        return Response.of({name: {"hmac": core.audited_headers.headers[name]}}, top_level=True)

    async def write(request: Request, data: FieldData) -> Response | None:
        await core.audited_headers.set(data.string("header"), data.boolean("hmac"))
        return None

    async def delete(request: Request, data: FieldData) -> Response | None:
        await core.audited_headers.delete(data.string("header"))
        return None

    return [
        Path(
            pattern=lit("config/auditing/request-headers"),
            operations={Operation.READ: read_all},
            synopsis="The request headers audit records carry.",
        ),
        Path(
            pattern=lit("config/auditing/request-headers/") + segment("header"),
            operations={
                Operation.READ: read_one,
                Operation.UPDATE: write,
                Operation.DELETE: delete,
            },
            fields={
                "header": Field(FieldType.STRING, "Header name."),
                "hmac": Field(FieldType.BOOL, "HMAC the header's value in audit records."),
            },
            synopsis="Add, read or remove an audited request header.",
        ),
    ]


__all__ = ["audited_header_paths"]
