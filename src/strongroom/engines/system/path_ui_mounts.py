"""`sys/internal/ui/mounts` and `sys/internal/ui/mounts/:path`: what the UI and the CLI use to
find a mount (e.g. `bao kv get` learns the KV version from it)."""

from __future__ import annotations

from strongroom.engines.system._core import SystemCore
from strongroom.engines.system.path_mounts import mount_json
from strongroom.errors import PermissionDenied
from strongroom.framework import Field, FieldData, FieldType, Path, lit, rest
from strongroom.logical import Operation, Request, Response
from strongroom.policy import ACL, Capability
from strongroom.types import JSONDict


def has_mount_access(acl: ACL, mount_path: str) -> bool:
    """Whether any rule of the ACL reaches into the mount (Vault's hasMountAccess): a pattern
    inside it, or a glob whose prefix covers it, granting something other than deny."""
    if acl.is_root:
        return True
    for rule in acl.rules:
        if (
            rule.capabilities in (Capability.NONE, Capability.DENY)
            or rule.capabilities & Capability.DENY
        ):
            continue
        pattern = rule.pattern
        first_plus = pattern.find("+")
        if first_plus >= 0:
            pattern = pattern[:first_plus] + "*"
        if pattern.startswith(mount_path):
            return True
        if pattern.endswith("*") and mount_path.startswith(pattern[:-1]):
            return True
    return False


def ui_mount_paths(core: SystemCore) -> list[Path]:
    async def visible(request: Request, table: str) -> JSONDict:
        if request.token is None:
            return {}
        acl = await core.policies.acl(request.token.policies)
        return {
            e.path: mount_json(e)
            for e in core.mounts.entries(table)
            if has_mount_access(acl, e.route_path)
        }

    async def list_visible(request: Request, data: FieldData) -> Response | None:
        return Response.of(
            {"secret": await visible(request, "mounts"), "auth": await visible(request, "auth")}
        )

    async def read_one(request: Request, data: FieldData) -> Response | None:
        path = data.string("path")
        if request.token is None:
            raise PermissionDenied()
        entry = core.mount_for_path(path)
        acl = await core.policies.acl(request.token.policies)
        if entry is None or not has_mount_access(acl, entry.route_path):
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
