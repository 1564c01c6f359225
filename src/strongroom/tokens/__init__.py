"""The token store: token entries, salted-hash persistence, lifetimes, roles."""

from strongroom.tokens.batch import BATCH_PREFIX, OPENBAO_BATCH_PREFIX, is_batch_token
from strongroom.tokens.bound_cidrs import check_bound_cidrs
from strongroom.tokens.entry import BATCH, SERVICE, TokenEntry
from strongroom.tokens.lifetime import MountTTLs, creation_ttl, renewed_expiry
from strongroom.tokens.roles import TokenRole
from strongroom.tokens.store import (
    OPENBAO_SERVICE_PREFIX,
    SERVICE_PREFIX,
    TOKEN_RANDOM_CHARS,
    TokenStore,
    new_token,
)

__all__ = [
    "BATCH",
    "BATCH_PREFIX",
    "OPENBAO_BATCH_PREFIX",
    "OPENBAO_SERVICE_PREFIX",
    "SERVICE",
    "SERVICE_PREFIX",
    "TOKEN_RANDOM_CHARS",
    "MountTTLs",
    "TokenEntry",
    "TokenRole",
    "TokenStore",
    "check_bound_cidrs",
    "creation_ttl",
    "is_batch_token",
    "new_token",
    "renewed_expiry",
]
