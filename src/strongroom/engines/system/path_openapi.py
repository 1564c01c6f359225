"""`sys/internal/specs/openapi`: the OpenAPI document generated from every mounted backend."""

from __future__ import annotations

from strongroom.engines.system._core import SystemCore
from strongroom.framework import FieldData, Path, document, lit
from strongroom.logical import Operation, Request, Response


def openapi_path(core: SystemCore) -> Path:
    async def read(request: Request, data: FieldData) -> Response | None:
        paths = core.openapi_paths() if request.token is not None else {}
        return Response(data=document(paths), raw=True, status=200)

    return Path(
        pattern=lit("internal/specs/openapi"),
        operations={Operation.READ: read},
        synopsis="Generate an OpenAPI 3 document of all mounted paths.",
    )


__all__ = ["openapi_path"]
