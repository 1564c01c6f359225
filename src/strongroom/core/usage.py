"""Usage gauges computed from storage on a timer (`usage_gauge_period`): the token count and
the number of KV secrets per mount (`vault_token_count`, `vault_secret_kv_count`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from strongroom.storage import walk_keys
from strongroom.telemetry import names

if TYPE_CHECKING:
    from strongroom.core.core import Core


async def usage_gauges(core: Core) -> None:
    """Refresh the storage-derived gauges."""
    tokens = len(await core.tokens.accessors())
    core.metrics.set_gauge(names.TOKEN_COUNT, float(tokens), {"namespace": "root"})
    for mounted in core.router.routes():
        if mounted.mount.type != "kv":
            continue
        versioned = mounted.mount.options.get("version") == "2"
        prefix = "metadata/" if versioned else ""
        count = len(await walk_keys(mounted.storage, prefix))
        core.metrics.set_gauge(
            names.SECRET_KV_COUNT,
            float(count),
            {"mount_point": mounted.mount.route_path, "namespace": "root"},
        )


__all__ = ["usage_gauges"]
