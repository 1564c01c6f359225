"""The `transit` secrets engine: named keys, encryption as a service, signatures, HMACs.
Handlers see only their mount's storage view."""

from strongroom.engines.transit.backend import transit_backend

__all__ = ["transit_backend"]
