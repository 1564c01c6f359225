"""The `kv` secrets engine: kv v1 (unversioned) and kv v2 (versioned), chosen by the mount's
`options.version`. Handlers see only their mount's storage view. `upgrade_gate` and
`upgrade_ops` let the core upgrade a v1 mount's data to v2 in place."""

from strongroom.engines.kv._upgrade import UpgradeGate, upgrade_ops
from strongroom.engines.kv.backend import kv_backend, kv_version, upgrade_gate

__all__ = ["UpgradeGate", "kv_backend", "kv_version", "upgrade_gate", "upgrade_ops"]
