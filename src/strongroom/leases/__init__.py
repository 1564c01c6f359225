"""Leases: the expiration manager and its pure schedule."""

from strongroom.leases.entry import SECRET, TOKEN, LeaseEntry
from strongroom.leases.manager import (
    ERR_INVALID_LEASE,
    ExpirationManager,
    Revokers,
    token_lease_id,
)
from strongroom.leases.schedule import Schedule, backoff

__all__ = [
    "ERR_INVALID_LEASE",
    "SECRET",
    "TOKEN",
    "ExpirationManager",
    "LeaseEntry",
    "Revokers",
    "Schedule",
    "backoff",
    "token_lease_id",
]
