"""Changing the mount and auth tables: enable, disable, tune, remount.

Every change is persisted inside the barrier before the router sees it, so a crash never
leaves a route whose table entry is lost. Disabling a mount deletes its data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from strongroom.core.router import Route
from strongroom.errors import InvalidRequest
from strongroom.logical.mounts import (
    AUTH_TABLE_PATH,
    MOUNT_TABLE_PATH,
    MountConfig,
    MountEntry,
    serialize_table,
)
from strongroom.storage import Entry, Storage, walk_keys

if TYPE_CHECKING:
    from strongroom.core.core import Core

_log = logging.getLogger("strongroom.core")

# vault-compat: mounts that cannot be enabled, disabled or moved by users
_PROTECTED = {"mounts": ("sys/", "cubbyhole/", "identity/"), "auth": ("token/",)}
_SINGLETONS = ("system", "token", "cubbyhole", "identity")


def normalise(path: str) -> str:
    """`secret`, `/secret/` and `secret/` are the same mount path."""
    cleaned = path.strip().strip("/")
    if not cleaned:
        raise InvalidRequest("path cannot be empty")
    if ".." in cleaned.split("/"):
        raise InvalidRequest("path cannot contain '..'")
    return cleaned + "/"


class MountManager:
    """The mount and auth tables of one core."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def normalise(self, path: str) -> str:
        return normalise(path)

    def entries(self, table: str) -> list[MountEntry]:
        return [r.mount for r in self._core.router.routes() if r.mount.table == table]

    def find(self, table: str, path: str) -> MountEntry | None:
        wanted = normalise(path)
        return next((e for e in self.entries(table) if e.path == wanted), None)

    async def _persist(self, table: str, entries: list[MountEntry]) -> None:
        key = AUTH_TABLE_PATH if table == "auth" else MOUNT_TABLE_PATH
        await self._core.barrier.put(
            Entry(key, serialize_table(sorted(entries, key=lambda e: e.path)))
        )

    def _check_free(self, table: str, path: str) -> None:
        route_path = ("auth/" + path) if table == "auth" else path
        for existing in self._core.router.routes():
            taken = existing.mount.route_path
            if route_path.startswith(taken) or taken.startswith(route_path):
                # vault-compat: mount conflict text
                raise InvalidRequest(f"path is already in use at {taken}")

    async def enable(self, table: str, entry: MountEntry) -> None:
        """Mount a new backend; 400 when the path or the type is not acceptable."""
        if entry.path in _PROTECTED[table] or entry.type in _SINGLETONS:
            kind = "mount" if table == "mounts" else "enable auth at"
            raise InvalidRequest(f'cannot {kind} "{entry.path}"')
        self._check_free(table, entry.path)
        route = self._core.route_for(entry)  # builds the backend: unknown types fail here
        await self._persist(table, [*self.entries(table), entry])
        self._core.router.mount(route)
        _log.info("enabled %s mount %s (type %s)", table, entry.route_path, entry.type)

    async def disable(self, table: str, path: str) -> None:
        """Unmount and delete the mount's data; a missing mount is not an error."""
        entry = self.find(table, path)
        if entry is None:
            return
        if entry.path in _PROTECTED[table]:
            kind = "unmount" if table == "mounts" else "disable auth at"
            raise InvalidRequest(f'cannot {kind} "{entry.path}"')
        # vault-compat: the mount's leases (and an auth method's tokens) are revoked first; if
        # one cannot be, the mount stays (`sys/leases/revoke-force` forgets them instead).
        await self._core.expiration.revoke_prefix(entry.route_path)
        await self._persist(table, [e for e in self.entries(table) if e.uuid != entry.uuid])
        route = self._core.router.unmount(entry.route_path)
        if route is not None:
            await clean_backends([route])
            await delete_prefix(route.storage)
        _log.info("disabled %s mount %s", table, entry.route_path)

    async def tune(
        self,
        table: str,
        path: str,
        *,
        config: MountConfig,
        description: str | None,
        options: dict[str, str] | None,
    ) -> MountEntry:
        entry = self.find(table, path)
        if entry is None:
            raise InvalidRequest(f"no mount at {normalise(path)}")
        merged_options = entry.options if options is None else {**entry.options, **options}
        if (
            entry.type == "kv"
            and entry.options.get("version") == "2"
            and merged_options.get("version") == "1"
        ):
            raise InvalidRequest("cannot downgrade mount from KV version 2 to KV version 1")
        if (
            entry.type == "kv"
            and entry.options.get("version", "1") != "2"
            and merged_options.get("version") == "2"
        ):
            # OpenBao upgrades the data in place; until Strongroom does, refuse rather than
            # leave the mount's version 1 secrets unreachable.
            raise InvalidRequest(
                "upgrading a KV version 1 mount to version 2 is not supported yet: enable a new "
                "kv-v2 mount and copy the secrets"
            )
        updated = replace(
            entry,
            config=config,
            description=entry.description if description is None else description,
            options=merged_options,
        )
        await self._persist(
            table, [updated if e.uuid == entry.uuid else e for e in self.entries(table)]
        )
        self._core.router.mount(self._core.route_for(updated))
        return updated

    async def remount(self, table: str, source: str, target: str) -> MountEntry:
        """Move a mount to a new path; its data moves with it (the storage view is by uuid),
        its leases (and an auth method's tokens) are revoked first, as in OpenBao."""
        entry = self.find(table, source)
        if entry is None:
            raise InvalidRequest(f"no mount at {normalise(source)}")
        if entry.path in _PROTECTED[table]:
            raise InvalidRequest(f'cannot remount "{entry.path}"')
        moved = replace(entry, path=normalise(target))
        self._check_free(table, moved.path)
        # vault-compat: moving a mount revokes its leases (their ids name the old path)
        await self._core.expiration.revoke_prefix(entry.route_path)
        await self._persist(
            table, [moved if e.uuid == entry.uuid else e for e in self.entries(table)]
        )
        old = self._core.router.unmount(entry.route_path)
        self._core.router.mount(self._core.route_for(moved))
        if old is not None:
            await clean_backends([old])
        return moved


async def delete_prefix(storage: Storage, prefix: str = "") -> None:
    """Delete every key under `prefix`."""
    for key in await walk_keys(storage, prefix):
        await storage.delete(key)


async def clean_backends(routes: Iterable[Route]) -> None:
    """Let each backend release what it holds (e.g. database connections), one failure
    logged without stopping the others."""
    for route in routes:
        if route.backend.clean is None:
            continue
        try:
            await route.backend.clean()
        except Exception:
            _log.exception("cleanup of %s failed", route.mount.route_path)


__all__ = ["MountManager", "clean_backends", "delete_prefix", "normalise"]
