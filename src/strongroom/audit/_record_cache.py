"""`RecordCache`: what the records of one audit device share across requests. Pure.

A token makes request after request; the `auth` section of its records (with the HMACs of
the token and its accessor) and the `request` fields that depend only on the token, the
operation and the mount are built once and reused while every value they were built from
is unchanged (the formatter checks that on every use). Nothing here holds a token in the
clear: the cache is keyed by the token entry's id (the token store's salted hash of the
token), and the client token is compared by `hash()` only.
"""

from __future__ import annotations

from strongroom.types import JSONDict

Prefix = tuple[JSONDict, bool]  # the `request` fields from `operation` to `namespace`, plain?
PREFIXES = 64  # per token: (operation, mount) pairs


class TokenSections:
    """The `auth` section of one token as a device formatted it, with what it was built
    from: `source` (a tuple of the token's fields, the client token by `hash()` only; the
    accessor as it is, as the token store's own cache keeps it) and a copy of its
    metadata. `prefixes` holds the `request` fields that depend only on the token, the
    operation and the mount, by (operation, mount point, mount type, mount accessor)."""

    __slots__ = ("accessor", "client_token", "metadata", "plain", "prefixes", "section", "source")

    def __init__(
        self,
        source: tuple[object, ...],
        metadata: dict[str, str],
        section: JSONDict,
        plain: bool,
        client_token: str | None,
        accessor: str | None,
    ) -> None:
        self.source = source
        self.metadata = metadata
        self.section = section
        self.plain = plain
        self.client_token = client_token  # the HMAC written, None when it was not hashed
        self.accessor = accessor
        self.prefixes: dict[tuple[str, str, str, str], Prefix] = {}


class RecordCache:
    """What the records of one device share across requests (one per device, so one salt
    and one set of options): the `auth` section of each recent token, with the HMACs of
    the token and its accessor, which a token's next request reuses as long as every value
    it was built from is unchanged. Keyed by the token entry's id (the token store's
    salted hash of the token, never the token itself), at most `limit` tokens (the oldest
    is dropped first). log_raw devices (no hasher) do not use it: their sections hold the
    token in the clear."""

    __slots__ = ("limit", "tokens")

    def __init__(self, limit: int = 1024) -> None:
        self.limit = limit
        self.tokens: dict[str, TokenSections] = {}

    def remember(self, entry_id: str, kept: TokenSections) -> None:
        tokens = self.tokens
        if entry_id not in tokens and len(tokens) >= self.limit:
            del tokens[next(iter(tokens))]
        tokens[entry_id] = kept


__all__ = ["PREFIXES", "Prefix", "RecordCache", "TokenSections"]
