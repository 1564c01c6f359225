"""The parsed server configuration as frozen value objects (Vault's command/server Config).

This module owns the shapes and the defaults, and nothing else: it must not parse, read files
or validate. Every field has a default so `ServerConfig()` is the configuration of an empty
file; the parser fills in what a file sets and the merger combines files.

Durations are whole seconds. Backend-specific option maps (storage, seal, audit options) are
`map[string]string` as in Vault, so backends validate their own options.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Vault's DefaultMaxRequestSize (32 MiB) and DefaultMaxRequestDuration (90s).
DEFAULT_MAX_REQUEST_SIZE = 32 * 1024 * 1024
DEFAULT_MAX_REQUEST_DURATION = 90
# Vault's system default and maximum lease TTL: 32 days.
DEFAULT_LEASE_TTL = 32 * 24 * 3600


@dataclass(frozen=True, slots=True)
class ListenerConfig:
    """One `listener "tcp" { ... }` stanza.

    `max_request_size`: a negative value means unlimited (Vault); 0 in a file means the
    default. `max_request_duration`: a negative value means no limit; 0 in a file means the
    server's `default_max_request_duration`, which the merger fills in.
    """

    type: str
    address: str = "127.0.0.1:8200"
    cluster_address: str | None = None
    tls_disable: bool = False
    tls_cert_file: str | None = None
    tls_key_file: str | None = None
    tls_client_ca_file: str | None = None
    tls_min_version: str = "tls12"
    tls_max_version: str | None = None
    tls_cipher_suites: str | None = None
    tls_require_and_verify_client_cert: bool = False
    tls_disable_client_certs: bool = False
    max_request_size: int = DEFAULT_MAX_REQUEST_SIZE
    max_request_duration: int = DEFAULT_MAX_REQUEST_DURATION
    # OpenBao 2.5 turned these on by default; the unauthenticated variants are unaudited.
    disable_unauthed_rekey_endpoints: bool = True
    disable_unauthed_generate_root_endpoints: bool = True
    unauthenticated_metrics_access: bool = False
    x_forwarded_for_authorized_addrs: tuple[str, ...] = ()
    x_forwarded_for_hop_skips: int = 0
    # OpenBao documents "true" for both reject flags, but its code defaults them to false
    # (checked against `bao server` 2.7.2: no header, or an unlisted peer, is served). We
    # follow the code, so that setting only the authorized addresses rejects nothing.
    x_forwarded_for_reject_not_authorized: bool = False
    x_forwarded_for_reject_not_present: bool = False
    source: str = ""


@dataclass(frozen=True, slots=True)
class StorageConfig:
    """A `storage` (legacy `backend`) or `ha_storage` stanza: a type and free-form options.

    Options are strings as Vault keeps them: booleans become "true"/"false", numbers their
    decimal text, and nested values (raft's `retry_join` blocks) compact JSON.
    """

    type: str
    options: Mapping[str, str] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True, slots=True)
class SealStanza:
    """One `seal "type" { ... }` stanza; the server decides which types it supports."""

    type: str
    options: Mapping[str, str] = field(default_factory=dict)
    disabled: bool = False
    source: str = ""


@dataclass(frozen=True, slots=True)
class AuditStanza:
    """One declarative audit device: `audit "file" "file-audit/" { ... }` (OpenBao).

    `path` always ends with "/". `options` is the device's string map (e.g. `file_path`).
    """

    type: str
    path: str
    description: str = ""
    local: bool = False
    options: Mapping[str, str] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True, slots=True)
class TelemetryConfig:
    """The `telemetry` stanza. Only the Prometheus sink exists here.

    `prometheus_retention_time` defaults to 0, which leaves the Prometheus sink (and so
    `sys/metrics?format=prometheus`) off until an operator sets it; Vault's docs give 24h.
    """

    prometheus_retention_time: int = 0
    disable_hostname: bool = False
    enable_hostname_label: bool = False
    metrics_prefix: str = "vault"
    usage_gauge_period: int = 600
    maximum_gauge_cardinality: int = 500
    lease_metrics_epsilon: int = 3600
    num_lease_metrics_buckets: int = 168
    add_lease_metrics_namespace_labels: bool = False
    filter_default: bool = True
    prefix_filter: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """The whole server configuration after merging every file.

    `sources` lists the files it came from, in load order.
    """

    storage: StorageConfig | None = None
    ha_storage: StorageConfig | None = None
    listeners: tuple[ListenerConfig, ...] = ()
    seals: tuple[SealStanza, ...] = ()
    telemetry: TelemetryConfig = field(default_factory=TelemetryConfig)
    audit_devices: tuple[AuditStanza, ...] = ()
    api_addr: str | None = None
    cluster_addr: str | None = None
    cluster_name: str | None = None
    ui: bool = False
    log_level: str = "info"
    log_format: str = "standard"
    log_file: str | None = None
    default_lease_ttl: int = DEFAULT_LEASE_TTL
    max_lease_ttl: int = DEFAULT_LEASE_TTL
    default_max_request_duration: int = DEFAULT_MAX_REQUEST_DURATION
    disable_mlock: bool = False
    disable_cache: bool = False
    cache_size: int = 131072
    disable_clustering: bool = False
    disable_performance_standby: bool = False
    disable_sealwrap: bool = False
    pid_file: str | None = None
    plugin_directory: str | None = None
    unsafe_allow_api_audit_creation: bool = False
    raw_storage_endpoint: bool = False
    introspection_endpoint: bool = False
    enable_response_header_hostname: bool = False
    enable_response_header_raft_node_id: bool = False
    detect_deadlocks: str | None = None
    imprecise_lease_role_tracking: bool = False
    sources: tuple[str, ...] = ()


__all__ = [
    "DEFAULT_LEASE_TTL",
    "DEFAULT_MAX_REQUEST_DURATION",
    "DEFAULT_MAX_REQUEST_SIZE",
    "AuditStanza",
    "ListenerConfig",
    "SealStanza",
    "ServerConfig",
    "StorageConfig",
    "TelemetryConfig",
]
