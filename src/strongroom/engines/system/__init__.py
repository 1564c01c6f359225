"""The `sys/` backend."""

from strongroom.engines.system._core import SystemCore
from strongroom.engines.system.backend import system_backend

__all__ = ["SystemCore", "system_backend"]
