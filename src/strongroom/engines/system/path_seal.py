"""`sys/seal`: seal this node (sudo)."""

from __future__ import annotations

from strongroom.engines.system._core import SystemCore
from strongroom.framework import FieldData, Path, lit
from strongroom.logical import Operation, Request, Response


def seal_path(core: SystemCore) -> Path:
    async def seal(request: Request, data: FieldData) -> Response | None:
        await core.seal()
        return None

    return Path(
        pattern=lit("seal"),
        operations={Operation.UPDATE: seal},
        synopsis="Seal the server.",
        description="Seals this node: every key is forgotten until it is unsealed again.",
    )


__all__ = ["seal_path"]
