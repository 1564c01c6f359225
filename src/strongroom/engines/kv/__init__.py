"""The `kv` secrets engine: kv v1 (unversioned) and kv v2 (versioned), chosen by the mount's
`options.version`. Handlers see only their mount's storage view."""

from strongroom.engines.kv.backend import kv_backend, kv_version

__all__ = ["kv_backend", "kv_version"]
