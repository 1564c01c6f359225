"""The token store: token entries, salted-hash persistence, lookup and revocation."""

from strongroom.tokens.entry import TokenEntry
from strongroom.tokens.store import BATCH_PREFIX, SERVICE_PREFIX, TokenStore, new_token

__all__ = ["BATCH_PREFIX", "SERVICE_PREFIX", "TokenEntry", "TokenStore", "new_token"]
