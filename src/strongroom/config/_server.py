"""Top-level keys of one config file, merging files, and the whole-config checks.

Owns the top-level schema and Vault's merge rules: a later file's settings override an
earlier file's (only the keys it actually sets), `storage`, `ha_storage` and `telemetry`
are replaced whole, and `listener`, `seal` and `audit` stanzas accumulate in order. Checks
that need the merged result (storage present, a listener, lease TTL order, unique audit
paths) run in `validate_config`. This module must not read files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from strongroom.config._listener import parse_listener
from strongroom.config._model import (
    DEFAULT_LEASE_TTL,
    DEFAULT_MAX_REQUEST_DURATION,
    ServerConfig,
    TelemetryConfig,
)
from strongroom.config._section import Section
from strongroom.config._stanzas import parse_audit, parse_seal, parse_storage
from strongroom.config._telemetry import parse_telemetry
from strongroom.config._tree import Node
from strongroom.durations import format_duration
from strongroom.errors import ConfigError

_DEFAULT = ServerConfig()
_LOG_LEVELS = ("trace", "debug", "info", "warn", "error", "off")
# Top-level keys whose stanzas accumulate across files rather than override.
_ACCUMULATED = frozenset({"listener", "seal", "audit"})
_LEGACY = {"backend": "storage", "ha_backend": "ha_storage"}


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """One parsed file: its settings over the defaults, and the fields the file set."""

    config: ServerConfig
    explicit: frozenset[str]


def parse_file(root: Node) -> ConfigFile:
    """Every top-level key of one file; per-stanza checks run here, cross-file ones later."""
    section = Section(root, "")
    telemetry = section.single_block("telemetry")
    config = replace(
        _settings(section),
        storage=parse_storage(section, "storage", "backend"),
        ha_storage=parse_storage(section, "ha_storage", "ha_backend"),
        listeners=tuple(
            parse_listener(label, body) for label, body in section.labelled("listener")
        ),
        seals=tuple(parse_seal(label, body) for label, body in section.labelled("seal")),
        telemetry=TelemetryConfig() if telemetry is None else parse_telemetry(telemetry),
        audit_devices=tuple(parse_audit(section)),
        sources=(root.where.file,),
    )
    section.finish()
    explicit = frozenset(_LEGACY.get(key, key) for key in section.keys()) - _ACCUMULATED
    return ConfigFile(config=config, explicit=explicit)


def _settings(section: Section) -> ServerConfig:
    """The scalar top-level settings."""
    s = section
    return ServerConfig(
        api_addr=s.string("api_addr"),
        cluster_addr=s.string("cluster_addr"),
        cluster_name=s.string("cluster_name"),
        ui=s.boolean("ui", _DEFAULT.ui),
        log_level=_log_level(s),
        log_format=_log_format(s),
        log_file=s.string("log_file"),
        default_lease_ttl=_ttl(s, "default_lease_ttl"),
        max_lease_ttl=_ttl(s, "max_lease_ttl"),
        default_max_request_duration=(
            s.duration("default_max_request_duration", 0) or DEFAULT_MAX_REQUEST_DURATION
        ),
        disable_mlock=s.boolean("disable_mlock", _DEFAULT.disable_mlock),
        disable_cache=s.boolean("disable_cache", _DEFAULT.disable_cache),
        cache_size=_cache_size(s),
        disable_clustering=s.boolean("disable_clustering", _DEFAULT.disable_clustering),
        disable_performance_standby=s.boolean(
            "disable_performance_standby", _DEFAULT.disable_performance_standby
        ),
        disable_sealwrap=s.boolean("disable_sealwrap", _DEFAULT.disable_sealwrap),
        pid_file=s.string("pid_file"),
        plugin_directory=s.string("plugin_directory"),
        unsafe_allow_api_audit_creation=s.boolean(
            "unsafe_allow_api_audit_creation", _DEFAULT.unsafe_allow_api_audit_creation
        ),
        raw_storage_endpoint=s.boolean("raw_storage_endpoint", _DEFAULT.raw_storage_endpoint),
        introspection_endpoint=s.boolean("introspection_endpoint", _DEFAULT.introspection_endpoint),
        enable_response_header_hostname=s.boolean(
            "enable_response_header_hostname", _DEFAULT.enable_response_header_hostname
        ),
        enable_response_header_raft_node_id=s.boolean(
            "enable_response_header_raft_node_id", _DEFAULT.enable_response_header_raft_node_id
        ),
        detect_deadlocks=s.string("detect_deadlocks"),
        imprecise_lease_role_tracking=s.boolean(
            "imprecise_lease_role_tracking", _DEFAULT.imprecise_lease_role_tracking
        ),
    )


def _log_level(section: Section) -> str:
    # Vault lower-cases and trims the level and takes "warning" for "warn".
    key = "log_level"
    node = section.get(key)
    value = section.string(key)
    if node is None or value is None:
        return _DEFAULT.log_level
    level = value.strip().lower()
    level = {"": _DEFAULT.log_level, "warning": "warn"}.get(level, level)
    if level not in _LOG_LEVELS:
        raise section.invalid(key, node, "one of " + ", ".join(_LOG_LEVELS))
    return level


def _log_format(section: Section) -> str:
    key = "log_format"
    node = section.get(key)
    value = section.string(key)
    if node is None or value is None:
        return _DEFAULT.log_format
    log_format = value.strip().lower() or "standard"
    if log_format not in ("standard", "json"):
        raise section.invalid(key, node, '"standard" or "json"')
    return log_format


def _ttl(section: Section, key: str) -> int:
    # As in Vault, 0 (or leaving it out) means the system default of 32 days.
    seconds = section.duration(key, 0)
    node = section.get(key)
    if seconds < 0 and node is not None:
        raise section.invalid(key, node, "a duration that is not negative")
    return seconds or DEFAULT_LEASE_TTL


def _cache_size(section: Section) -> int:
    size = section.integer("cache_size", _DEFAULT.cache_size)
    node = section.get("cache_size")
    if size < 0 and node is not None:
        raise section.invalid("cache_size", node, "a number that is not negative")
    return size


def merge_files(files: Sequence[ConfigFile]) -> ServerConfig:
    """Combine files in order: later settings win, listeners/seals/audit devices accumulate.

    Listeners that left `max_request_duration` unset get the merged
    `default_max_request_duration`.
    """
    merged = ServerConfig()
    for file in files:
        merged = replace(merged, **{name: getattr(file.config, name) for name in file.explicit})
    default_duration = merged.default_max_request_duration
    listeners = tuple(
        replace(listener, max_request_duration=default_duration)
        if listener.max_request_duration == 0
        else listener
        for file in files
        for listener in file.config.listeners
    )
    return replace(
        merged,
        listeners=listeners,
        seals=tuple(seal for file in files for seal in file.config.seals),
        audit_devices=tuple(device for file in files for device in file.config.audit_devices),
        sources=tuple(source for file in files for source in file.config.sources),
    )


def validate_config(config: ServerConfig, *, dev: bool = False) -> None:
    """The checks that need the merged configuration; dev mode needs no storage or listener."""
    origin = ", ".join(config.sources) or "configuration"
    if config.storage is None and not dev:
        raise ConfigError(
            f"{origin}: no storage configured: add a stanza such as "
            'storage "sqlite" { path = ... }'
        )
    if not config.listeners and not dev:
        raise ConfigError(
            f'{origin}: no listener configured: add a stanza such as listener "tcp" {{ ... }}'
        )
    if config.default_lease_ttl > config.max_lease_ttl:
        raise ConfigError(
            f"{origin}: default_lease_ttl ({format_duration(config.default_lease_ttl)}) is"
            f" greater than max_lease_ttl ({format_duration(config.max_lease_ttl)})"
        )
    seen: dict[str, str] = {}
    for device in config.audit_devices:
        if device.path in seen:
            raise ConfigError(
                f'{device.source}: audit path "{device.path}" is already used'
                f" by the audit stanza at {seen[device.path]}"
            )
        seen[device.path] = device.source


__all__ = ["ConfigFile", "merge_files", "parse_file", "validate_config"]
