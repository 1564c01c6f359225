"""The `transit` secrets engine: named keys, encryption as a service, signatures, HMACs.
Handlers see only their mount's storage view."""

from strongroom.engines.transit.backend import transit_backend
from strongroom.engines.transit.rotation import rotate_due_keys

__all__ = ["rotate_due_keys", "transit_backend"]
