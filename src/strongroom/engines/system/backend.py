"""The system backend (`sys/`): the authenticated control endpoints.

The unauthenticated ones (init, seal-status, unseal, health, leader, rekey, generate-root)
live in `http/`, because they must answer while sealed.
"""

from __future__ import annotations

from strongroom.engines.system._core import SystemCore
from strongroom.engines.system.path_audit import audit_paths
from strongroom.engines.system.path_audited_headers import audited_header_paths
from strongroom.engines.system.path_generate_root import generate_root_paths
from strongroom.engines.system.path_keyring import keyring_paths
from strongroom.engines.system.path_leases import lease_paths
from strongroom.engines.system.path_loggers import logger_paths
from strongroom.engines.system.path_metrics import metrics_path
from strongroom.engines.system.path_mounts import mount_paths
from strongroom.engines.system.path_openapi import openapi_path
from strongroom.engines.system.path_password_policies import password_policy_paths
from strongroom.engines.system.path_policies import policy_paths
from strongroom.engines.system.path_seal import seal_path
from strongroom.engines.system.path_ui_mounts import ui_mount_paths
from strongroom.engines.system.path_wrapping import wrapping_paths
from strongroom.framework import Backend, SpecialPaths

# vault-compat: sudo ("root") paths of the system backend
ROOT_PATHS = (
    "seal",
    "rotate",
    "rotate/*",
    "key-status",
    "step-down",
    "generate-root-token/*",
    "auth/*",
    "audit",
    "audit/*",
    "audit-chain/*",
    "config/auditing/*",
    "loggers",
    "loggers/*",
    "remount",
    "leases/lookup/*",
    "leases/revoke-prefix/*",
    "leases/revoke-force/*",
    "revoke-prefix/*",
    "revoke-force/*",
)
UNAUTHENTICATED_PATHS = (
    "internal/specs/openapi",
    "decode-token",
    "internal/ui/mounts",
    "internal/ui/mounts/*",
    "wrapping/lookup",
)


def system_backend(core: SystemCore) -> Backend:
    """Build the `sys/` backend around the core's narrow view."""
    return Backend(
        paths=[
            seal_path(core),
            *keyring_paths(core),
            *generate_root_paths(core),
            *mount_paths(core),
            *ui_mount_paths(core),
            *policy_paths(core),
            *password_policy_paths(core),
            *lease_paths(core),
            *wrapping_paths(core),
            *audit_paths(core),
            *audited_header_paths(core),
            *logger_paths(core),
            metrics_path(core.metrics, prometheus_enabled=core.prometheus_enabled),
            openapi_path(core),
        ],
        help="The system backend controls the server itself.",
        backend_type="system",
        special_paths=SpecialPaths(root=ROOT_PATHS, unauthenticated=UNAUTHENTICATED_PATHS),
    )


__all__ = ["system_backend"]
