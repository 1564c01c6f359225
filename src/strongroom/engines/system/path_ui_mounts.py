"""`sys/internal/ui/mounts` and `sys/internal/ui/mounts/:path`: what the UI and the CLI use to
find a mount (e.g. `bao kv get` learns the KV version from it)."""

from __future__ import annotations

from strongroom.engines.system._core import SystemCore
from strongroom.engines.system.path_mounts import mount_json
from strongroom.errors import PermissionDenied
from strongroom.framework import Field, FieldData, FieldType, Path, lit, rest
from strongroom.logical import Operation, Request, Response


def ui_mount_paths(core: SystemCore) -> list[Path]:
    async def list_visible(request: Request, data: FieldData) -> Response | None:
        if request.token is None:
            return Response.of({"secret": {}, "auth": {}})
        return Response.of(
            {
                "secret": {e.path: mount_json(e) for e in core.mounts.entries("mounts")},
                "auth": {e.path: mount_json(e) for e in core.mounts.entries("auth")},
            }
        )

    async def read_one(request: Request, data: FieldData) -> Response | None:
        path = data.string("path")
        if request.token is None:
            raise PermissionDenied()
        entry = core.mount_for_path(path)
        if entry is None:
            # vault-compat: text of an unknown or invisible mount
            raise PermissionDenied(
                "preflight capability check returned 403, please ensure client's policies grant "
                f'access to path "{path.rstrip("/")}/"'
            )
        body = mount_json(entry)
        body["path"] = entry.route_path
        return Response.of(body)

    return [
        Path(
            pattern=lit("internal/ui/mounts"),
            operations={Operation.READ: list_visible},
            synopsis="Lists the mounts the token can see.",
        ),
        Path(
            pattern=lit("internal/ui/mounts/") + rest("path"),
            operations={Operation.READ: read_one},
            fields={"path": Field(FieldType.STRING, "A path inside the mount.")},
            synopsis="Describes the mount that serves a path.",
        ),
    ]


__all__ = ["ui_mount_paths"]
