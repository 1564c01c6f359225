"""The server configuration file: Vault/OpenBao HCL or JSON into frozen dataclasses.

`load_config` reads files and directories, merges them like Vault (later settings win;
listener, seal and audit stanzas accumulate) and validates the result. Every unknown or
mistyped key is a `strongroom.errors.ConfigError` naming the key and where it is. This
package is pure apart from reading the files: it never binds listeners, opens storage or
checks that TLS files exist.
"""

from strongroom.config._load import Format, load_config, parse_config_text
from strongroom.config._model import (
    DEFAULT_LEASE_TTL,
    DEFAULT_MAX_REQUEST_DURATION,
    DEFAULT_MAX_REQUEST_SIZE,
    AuditStanza,
    ListenerConfig,
    SealStanza,
    ServerConfig,
    StorageConfig,
    TelemetryConfig,
)

__all__ = [
    "DEFAULT_LEASE_TTL",
    "DEFAULT_MAX_REQUEST_DURATION",
    "DEFAULT_MAX_REQUEST_SIZE",
    "AuditStanza",
    "Format",
    "ListenerConfig",
    "SealStanza",
    "ServerConfig",
    "StorageConfig",
    "TelemetryConfig",
    "load_config",
    "parse_config_text",
]
