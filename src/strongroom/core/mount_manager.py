"""Changing the mount and auth tables: enable, disable, tune, remount.

Every change is persisted inside the barrier before the router sees it, so a crash never
leaves a route whose table entry is lost. Disabling a mount deletes its data. Changes are
serialised by one lock: each reads the table, awaits storage, then writes the table back.

Tuning a kv version 1 mount to `options.version=2` upgrades its data in place, as OpenBao
does: the v1 backend's gate refuses new requests and waits for those in progress, the kv
engine computes the v2 entries, and one barrier transaction deletes the v1 keys, writes the
v2 ones and the new mount table. A crash or a storage error leaves the mount wholly v1.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from strongroom.core.router import Route
from strongroom.engines.kv import kv_version, upgrade_gate, upgrade_ops
from strongroom.errors import InternalError, InvalidRequest
from strongroom.logical.mounts import (
    AUTH_TABLE_PATH,
    MOUNT_TABLE_PATH,
    MountConfig,
    MountEntry,
    serialize_table,
)
from strongroom.storage import Entry, Storage, TxnOp, walk_keys

if TYPE_CHECKING:
    from strongroom.core.core import Core

_log = logging.getLogger("strongroom.core")

# vault-compat: mounts that cannot be enabled, disabled or moved by users
_PROTECTED = {"mounts": ("sys/", "cubbyhole/", "identity/"), "auth": ("token/",)}
_SINGLETONS = ("system", "token", "cubbyhole", "identity")
_GO_INT = re.compile(r"[+-]?[0-9]+")
_INT64_DIGITS = 18  # more digits than this may not fit Go's int64: refuse as out of range


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
        self._lock = asyncio.Lock()

    def normalise(self, path: str) -> str:
        return normalise(path)

    def entries(self, table: str) -> list[MountEntry]:
        return [r.mount for r in self._core.router.routes() if r.mount.table == table]

    def find(self, table: str, path: str) -> MountEntry | None:
        wanted = normalise(path)
        return next((e for e in self.entries(table) if e.path == wanted), None)

    async def _persist(self, table: str, entries: list[MountEntry]) -> None:
        await self._core.barrier.put(_table_entry(table, entries))

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
        async with self._lock:
            self._check_free(table, entry.path)
            route = self._core.route_for(entry)  # builds the backend: unknown types fail here
            await self._persist(table, [*self.entries(table), entry])
            self._core.router.mount(route)
        _log.info("enabled %s mount %s (type %s)", table, entry.route_path, entry.type)

    async def disable(self, table: str, path: str) -> None:
        """Unmount and delete the mount's data; a missing mount is not an error."""
        async with self._lock:
            entry = self.find(table, path)
            if entry is None:
                return
            if entry.path in _PROTECTED[table]:
                kind = "unmount" if table == "mounts" else "disable auth at"
                raise InvalidRequest(f'cannot {kind} "{entry.path}"')
            # vault-compat: the mount's leases (and an auth method's tokens) are revoked first;
            # if one cannot be, the mount stays (`sys/leases/revoke-force` forgets them).
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
        """Change a mount's settings; `options` are merged into the current ones. Tuning a
        kv version 1 mount to version 2 upgrades its data in place (see the module doc)."""
        async with self._lock:
            entry = self.find(table, path)
            if entry is None:
                raise InvalidRequest(f"no mount at {normalise(path)}")
            upgrade = _kv_upgrade(entry, options)
            updated = replace(
                entry,
                config=config,
                description=entry.description if description is None else description,
                options=entry.options if options is None else {**entry.options, **options},
            )
            route = self._route(entry, updated)  # a bad option fails before anything is stored
            if upgrade:
                await self._upgrade_kv(entry, updated, route)
                return updated
            current = self._current(entry)
            await self._persist(table, self._replaced(updated))
            self._core.router.mount(route)
        if current is not None and current.backend is not route.backend:
            await clean_backends([current])  # the replaced backend's connections, say
        return updated

    def _current(self, entry: MountEntry) -> Route | None:
        return next((r for r in self._core.router.routes() if r.mount.uuid == entry.uuid), None)

    def _route(self, entry: MountEntry, updated: MountEntry) -> Route:
        """A route for `updated`, keeping `entry`'s backend when it can serve `updated` too:
        requests in flight and those to come then share one backend (its locks, and a kv v1
        backend's upgrade gate, which must see every request before the data is upgraded)."""
        current = self._current(entry)
        if current is None or not _same_backend(entry, updated):
            return self._core.route_for(updated)
        return Route(mount=updated, backend=current.backend, storage=current.storage)

    def _replaced(self, updated: MountEntry) -> list[MountEntry]:
        """The table of `updated`, with `updated` in place of the entry of the same uuid."""
        table = self.entries(updated.table)
        return [updated if e.uuid == updated.uuid else e for e in table]

    async def _upgrade_kv(self, entry: MountEntry, updated: MountEntry, route: Route) -> None:
        """Upgrade the data of kv v1 mount `entry` to v2 and route `route` (for `updated`) in
        its place, all or nothing; the caller holds the lock."""
        current = self._current(entry)
        gate = None if current is None else upgrade_gate(current.backend)
        if current is None or gate is None:
            raise InternalError(f"kv upgrade: {entry.route_path} is not served by kv version 1")
        prefix = entry.storage_prefix
        async with gate.closed_for_upgrade():
            ops = await upgrade_ops(current.storage, self._core.clock.now())
            absolute = [TxnOp(op.op, prefix + op.key, op.value) for op in ops]
            table = _table_entry(updated.table, self._replaced(updated))
            await self._core.barrier.transaction([*absolute, TxnOp("put", table.key, table.value)])
            self._core.router.mount(route)
        await clean_backends([current])
        _log.info("upgraded kv mount %s to version 2 (%d ops)", entry.route_path, len(ops))

    async def remount(self, table: str, source: str, target: str) -> MountEntry:
        """Move a mount to a new path; its data moves with it (the storage view is by uuid),
        its leases (and an auth method's tokens) are revoked first, as in OpenBao."""
        async with self._lock:
            entry = self.find(table, source)
            if entry is None:
                raise InvalidRequest(f"no mount at {normalise(source)}")
            if entry.path in _PROTECTED[table]:
                raise InvalidRequest(f'cannot remount "{entry.path}"')
            moved = replace(entry, path=normalise(target))
            self._check_free(table, moved.path)
            route = self._route(entry, moved)
            # vault-compat: moving a mount revokes its leases (their ids name the old path)
            await self._core.expiration.revoke_prefix(entry.route_path)
            await self._persist(table, self._replaced(moved))
            old = self._core.router.unmount(entry.route_path)
            self._core.router.mount(route)
        if old is not None and old.backend is not route.backend:
            await clean_backends([old])
        return moved


def _table_entry(table: str, entries: list[MountEntry]) -> Entry:
    """The stored form of a mount or auth table."""
    key = AUTH_TABLE_PATH if table == "auth" else MOUNT_TABLE_PATH
    return Entry(key, serialize_table(sorted(entries, key=lambda e: e.path)))


def _same_backend(entry: MountEntry, updated: MountEntry) -> bool:
    """Whether a backend built for `entry` behaves as one built for `updated` would: a kv
    backend depends only on the kv version; others may depend on options and path."""
    if entry.type == "kv" == updated.type:
        return kv_version(entry.options) == kv_version(updated.options)
    return entry.options == updated.options and entry.route_path == updated.route_path


def _go_int(text: str, what: str) -> int:
    """Go's strconv.ParseInt(text, 10, 64) as OpenBao's tune uses it ("" reads as 0)."""
    if text == "":
        return 0
    if _GO_INT.fullmatch(text) is None:
        raise InvalidRequest(f'{what}strconv.ParseInt: parsing "{text}": invalid syntax')
    if len(text.lstrip("+-")) > _INT64_DIGITS and abs(int(text)) >= 1 << 63:
        raise InvalidRequest(f'{what}strconv.ParseInt: parsing "{text}": value out of range')
    return int(text)


def _kv_upgrade(entry: MountEntry, options: dict[str, str] | None) -> bool:
    """Whether tuning kv mount `entry` with `options` upgrades it from version 1 to 2; 400 for
    a version other than 1 or 2, or a downgrade (OpenBao's texts)."""
    if entry.type != "kv" or options is None or "version" not in options:
        return False
    current = _go_int(entry.options.get("version", ""), "unable to parse mount entry: ")
    wanted = _go_int(options["version"], "unable to parse options: ")
    if wanted not in (1, 2):
        # vault-compat: tune texts for the version option
        raise InvalidRequest(f"invalid version provided: {wanted}")
    if current > wanted:
        raise InvalidRequest(f"cannot downgrade mount from version {current}")
    return current < 2 <= wanted


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
