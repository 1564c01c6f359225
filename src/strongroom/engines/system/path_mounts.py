"""`sys/mounts`, `sys/auth` (enable, disable, read, tune) and `sys/remount`.

Shapes follow OpenBao: listings and tune reads also repeat `data` at the top level.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from strongroom.engines.system._core import SystemCore
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, Path, lit, rest, segment
from strongroom.logical import Operation, Request, Response
from strongroom.logical.mounts import MountConfig, MountEntry
from strongroom.types import JSON, JSONDict

# The list-valued mount settings (tune fields, `config` keys).
LIST_CONFIG_KEYS = (
    "audit_non_hmac_request_keys",
    "audit_non_hmac_response_keys",
    "passthrough_request_headers",
    "allowed_response_headers",
)
# vault-compat: reported as the plugin version of built-in backends
RUNNING_VERSION = "v2.7.2+builtin.strongroom"
# vault-compat: the warning of a kv v1 -> v2 tune. OpenBao 2.7.2 names the old version as
# stored ("" counts as 0) and always says "to version 0".
WARN_KV_UPGRADE = (
    "Upgrading mount from version {} to version 0. This mount will be unavailable for a brief "
    "period and will resume service shortly."
)


def mount_json(entry: MountEntry) -> JSONDict:
    """One mount as `sys/mounts` lists it."""
    config: JSONDict = {
        "default_lease_ttl": entry.config.default_lease_ttl,
        "force_no_cache": entry.config.force_no_cache,
        "max_lease_ttl": entry.config.max_lease_ttl,
    }
    for key in LIST_CONFIG_KEYS:
        values = getattr(entry.config, key)
        if values:
            config[key] = list(values)
    if entry.config.listing_visibility:
        config["listing_visibility"] = entry.config.listing_visibility
    if entry.type == "token":
        config["token_type"] = "default-service"
    return {
        "accessor": entry.accessor,
        "config": config,
        "description": entry.description,
        "external_entropy_access": False,
        "local": entry.local,
        "options": dict(entry.options) or None,
        "plugin_version": "",
        "running_plugin_version": RUNNING_VERSION,
        "running_sha256": "",
        "seal_wrap": entry.seal_wrap,
        "type": entry.type,
        "uuid": entry.uuid,
    }


def _str_map(value: JSON, name: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidRequest(f"{name} must be a map")
    return {str(k): str(v) for k, v in value.items()}


def _config(raw: JSON, base: MountConfig, ttls: tuple[int, int]) -> MountConfig:
    """Apply a `config` object (enable) or tune fields onto `base`, validating TTLs."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InvalidRequest("config must be a map")
    data = FieldData(raw, TUNE_FIELDS)
    data.validate()
    changes: dict[str, object] = {}
    for key in ("default_lease_ttl", "max_lease_ttl"):
        if data.has(key):
            changes[key] = data.duration(key)
    if data.has("force_no_cache"):
        changes["force_no_cache"] = data.boolean("force_no_cache")
    if data.has("listing_visibility"):
        changes["listing_visibility"] = data.string("listing_visibility")
    for key in LIST_CONFIG_KEYS:
        if data.has(key):
            changes[key] = tuple(data.strings(key))
    config = replace(base, **changes)  # type: ignore[arg-type]
    default = config.default_lease_ttl or ttls[0]
    maximum = config.max_lease_ttl or ttls[1]
    if default > maximum:
        # vault-compat: tune validation text
        raise InvalidRequest(
            f"backend max lease TTL of {maximum} would be less than backend default lease TTL "
            f"of {default}"
        )
    return config


TUNE_FIELDS = {
    "default_lease_ttl": Field(FieldType.DURATION, "Default lease TTL of the mount."),
    "max_lease_ttl": Field(FieldType.DURATION, "Maximum lease TTL of the mount."),
    "force_no_cache": Field(FieldType.BOOL, "Accepted for compatibility."),
    "description": Field(FieldType.STRING, "Human-friendly description."),
    "options": Field(FieldType.KV_PAIRS, "Backend options, e.g. version=2 for KV."),
    "listing_visibility": Field(FieldType.STRING, "unauth or hidden."),
    "audit_non_hmac_request_keys": Field(FieldType.COMMA_STRING_SLICE, "Request keys not HMAC'd."),
    "audit_non_hmac_response_keys": Field(
        FieldType.COMMA_STRING_SLICE, "Response keys not HMAC'd."
    ),
    "passthrough_request_headers": Field(FieldType.COMMA_STRING_SLICE, "Headers passed through."),
    "allowed_response_headers": Field(FieldType.COMMA_STRING_SLICE, "Headers a backend may set."),
    "token_type": Field(FieldType.STRING, "Token type for auth mounts."),
}

ENABLE_FIELDS = {
    "path": Field(FieldType.STRING, "Mount path."),
    "type": Field(FieldType.STRING, "Backend type, e.g. kv, kv-v2, transit."),
    "description": Field(FieldType.STRING, "Human-friendly description."),
    "config": Field(FieldType.MAP, "Mount configuration (TTLs, audit keys...)."),
    "options": Field(FieldType.KV_PAIRS, "Backend options, e.g. version=2 for KV."),
    "local": Field(FieldType.BOOL, "Local to this cluster (replication)."),
    "seal_wrap": Field(FieldType.BOOL, "Accepted for compatibility."),
    "external_entropy_access": Field(FieldType.BOOL, "Accepted for compatibility."),
    "plugin_version": Field(FieldType.STRING, "Accepted for compatibility."),
    "plugin_name": Field(FieldType.STRING, "Deprecated alias of type."),
}


def mount_paths(core: SystemCore) -> list[Path]:
    """Paths for both tables: `mounts` (secret engines) and `auth` (auth methods)."""
    return [*_table_paths(core, "mounts"), *_table_paths(core, "auth"), *_remount_paths(core)]


def _table_paths(core: SystemCore, table: str) -> list[Path]:
    noun = "secret engine" if table == "mounts" else "auth method"

    async def list_all(request: Request, data: FieldData) -> Response | None:
        body = {e.path: mount_json(e) for e in core.mounts.entries(table)}
        return Response.of(body, top_level=True)

    async def read(request: Request, data: FieldData) -> Response | None:
        entry = core.mounts.find(table, data.string("path"))
        if entry is None:
            where = "No secret engine mount at" if table == "mounts" else "No auth engine at"
            raise InvalidRequest(f"{where} {data.string('path').strip('/')}/")
        return Response.of(mount_json(entry), top_level=True)

    async def enable(request: Request, data: FieldData) -> Response | None:
        mount_type = data.string("type") or data.string("plugin_name")
        if not mount_type:
            raise InvalidRequest("backend type must be specified as a string")
        options = _str_map(data.get("options"), "options")
        if mount_type == "kv-v2":
            mount_type, options = "kv", {**options, "version": "2"}
        prefix = "auth_" + mount_type if table == "auth" else mount_type
        entry = MountEntry(
            path=core.mounts.normalise(data.string("path")),
            type=mount_type,
            uuid=str(uuid.uuid4()),
            accessor=f"{prefix}_{uuid.uuid4().hex[:8]}",
            description=data.string("description"),
            config=_config(data.get_ok("config")[0], MountConfig(), core.default_ttls()),
            options=options,
            local=data.boolean("local"),
            seal_wrap=data.boolean("seal_wrap"),
            table=table,
        )
        await core.mounts.enable(table, entry)
        return None

    async def disable(request: Request, data: FieldData) -> Response | None:
        await core.mounts.disable(table, data.string("path"))
        return None

    def locate(path: str) -> tuple[str, MountEntry | None]:
        # vault-compat: sys/mounts/auth/<path>/tune tunes an auth method (bao auth tune)
        if table == "mounts" and path.strip("/").startswith("auth/"):
            return "auth", core.mounts.find("auth", path.strip("/")[5:])
        return table, core.mounts.find(table, path)

    async def read_tune(request: Request, data: FieldData) -> Response | None:
        _, entry = locate(data.string("path"))
        if entry is None:
            raise InvalidRequest(
                f'cannot fetch sysview for path "{data.string("path").strip("/")}/"'
            )
        default, maximum = core.mount_ttls(entry.route_path)
        body: JSONDict = {
            "default_lease_ttl": default,
            "description": entry.description,
            "force_no_cache": entry.config.force_no_cache,
            "max_lease_ttl": maximum,
        }
        if entry.options:
            body["options"] = dict(entry.options)
        if entry.config.listing_visibility:
            body["listing_visibility"] = entry.config.listing_visibility
        for key in LIST_CONFIG_KEYS:
            if getattr(entry.config, key):
                body[key] = list(getattr(entry.config, key))
        if entry.type == "token":
            body["token_type"] = "default-service"
        return Response.of(body, top_level=True)

    async def write_tune(request: Request, data: FieldData) -> Response | None:
        owner, entry = locate(data.string("path"))
        if entry is None:
            raise InvalidRequest(
                f'cannot fetch sysview for path "{data.string("path").strip("/")}/"'
            )
        raw = {k: v for k, v in data.raw.items() if k in TUNE_FIELDS}
        config = _config(raw, entry.config, core.default_ttls())
        options = _str_map(data.raw.get("options"), "options") if "options" in data.raw else None
        description = data.string("description") if data.has("description") else None
        updated = await core.mounts.tune(
            owner, entry.path, config=config, description=description, options=options
        )
        before, after = entry.options.get("version", ""), updated.options.get("version", "")
        if entry.type == "kv" and before != "2" and after == "2":
            return Response(warnings=(WARN_KV_UPGRADE.format(before or "0"),))
        return None

    return [
        Path(
            pattern=lit(table),
            operations={Operation.READ: list_all},
            synopsis=f"List the mounted {noun}s.",
        ),
        Path(
            pattern=lit(f"{table}/") + rest("path") + lit("/tune"),
            operations={Operation.READ: read_tune, Operation.UPDATE: write_tune},
            fields={"path": Field(FieldType.STRING, "Mount path."), **TUNE_FIELDS},
            synopsis=f"Tune the configuration of a {noun}.",
        ),
        Path(
            pattern=lit(f"{table}/") + rest("path"),
            operations={Operation.READ: read, Operation.UPDATE: enable, Operation.DELETE: disable},
            fields=ENABLE_FIELDS,
            synopsis=f"Enable, read or disable a {noun}.",
        ),
    ]


def _remount_paths(core: SystemCore) -> list[Path]:
    finished: dict[str, JSONDict] = {}

    async def status(request: Request, data: FieldData) -> Response | None:
        info = finished.get(data.string("migration_id"))
        return None if info is None else Response.of(info)

    async def remount(request: Request, data: FieldData) -> Response | None:
        source, target = data.string("from"), data.string("to")
        if not source or not target:
            raise InvalidRequest("both 'from' and 'to' paths must be specified")
        table = "auth" if source.strip("/").startswith("auth/") else "mounts"
        if table == "auth":
            source, target = source.strip("/")[5:], target.strip("/").removeprefix("auth/")
        moved_from = core.mounts.normalise(source)
        moved = await core.mounts.remount(table, source, target)
        migration = str(uuid.uuid4())
        # The move is done before we answer; the id only lets `bao secrets move` poll for it.
        finished[migration] = {
            "migration_id": migration,
            "migration_info": {
                "source_mount": moved_from,
                "target_mount": moved.path,
                "status": "success",
            },
        }
        return Response(
            data={"migration_id": migration},
            top_level_data=True,
            warnings=(
                "Mount move has been queued. Progress will be reported in OpenBao's server "
                "log, tagged with the returned migration_id",
            ),
        )

    return [
        Path(
            pattern=lit("remount"),
            operations={Operation.UPDATE: remount},
            fields={
                "from": Field(FieldType.STRING, "Current mount path."),
                "to": Field(FieldType.STRING, "New mount path."),
            },
            synopsis="Move a mount to a new path (its data moves with it).",
        ),
        Path(
            pattern=lit("remount/status/") + segment("migration_id"),
            operations={Operation.READ: status},
            fields={"migration_id": Field(FieldType.STRING, "The id sys/remount returned.")},
            synopsis="Status of a mount move.",
        ),
    ]


__all__ = ["TUNE_FIELDS", "WARN_KV_UPGRADE", "mount_json", "mount_paths"]
