"""`TokenEntry`: what the token store keeps about a token (never the token itself). Pure."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from strongroom.types import JSONDict


@dataclass(frozen=True, slots=True)
class TokenEntry:
    """A stored token. `id` is the salted hash of the token, never the token."""

    id: str
    accessor: str
    policies: tuple[str, ...]
    path: str = ""
    parent: str = ""
    display_name: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    num_uses: int = 0
    creation_time: int = 0
    ttl: int = 0
    explicit_max_ttl: int = 0
    period: int = 0
    token_type: str = "service"
    entity_id: str = ""
    orphan: bool = False

    def expired(self, now: float) -> bool:
        """A token with a TTL is unusable once creation_time + ttl has passed."""
        return self.ttl > 0 and now >= self.creation_time + self.ttl

    def serialize(self) -> bytes:
        data: JSONDict = asdict(self)
        data["policies"] = list(self.policies)
        return json.dumps(data, sort_keys=True).encode()

    @staticmethod
    def deserialize(blob: bytes) -> TokenEntry:
        raw = json.loads(blob)
        raw["policies"] = tuple(raw.get("policies", ()))
        return TokenEntry(**raw)


__all__ = ["TokenEntry"]
