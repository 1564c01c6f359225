"""The catalog of built-in backend types: one line per engine or auth method."""

from __future__ import annotations

from strongroom.core import Catalog, Core
from strongroom.core.mounts import MountEntry
from strongroom.engines.system import system_backend
from strongroom.framework import Backend


def catalog(core: Core) -> Catalog:
    """Backend factories by type, bound to this core."""

    def system(_: MountEntry) -> Backend:
        return system_backend(core)

    return {"system": system}


__all__ = ["catalog"]
