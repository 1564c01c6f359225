"""The cubbyhole secrets engine."""

from strongroom.engines.cubbyhole.backend import cubbyhole_backend

__all__ = ["cubbyhole_backend"]
