"""`TokenEntry`: what the token store keeps about a token (never the token itself). Pure.

Times are epoch seconds (float). `expire_time` 0 means the token never expires (root tokens).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace

from strongroom.types import JSONDict

SERVICE = "service"
BATCH = "batch"


@dataclass(frozen=True, slots=True)
class TokenEntry:
    """A stored token. `id` is the salted hash of the token (batch: a random id)."""

    id: str
    accessor: str
    policies: tuple[str, ...]
    path: str = ""
    parent: str = ""
    display_name: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    num_uses: int = 0
    creation_time: float = 0.0
    ttl: int = 0
    expire_time: float = 0.0
    explicit_max_ttl: int = 0
    period: int = 0
    token_type: str = SERVICE
    entity_id: str = ""
    orphan: bool = False
    renewable: bool = True
    role: str = ""
    bound_cidrs: tuple[str, ...] = ()
    last_renewal_time: float = 0.0

    @property
    def is_root(self) -> bool:
        return "root" in self.policies

    def expired(self, now: float) -> bool:
        """A token with an expiry is unusable once it has passed."""
        return self.expire_time > 0 and now >= self.expire_time

    def remaining(self, now: float) -> int:
        """Seconds left (0 for tokens that never expire)."""
        if self.expire_time <= 0:
            return 0
        return max(0, round(self.expire_time - now))

    def with_uses(self, num_uses: int) -> TokenEntry:
        return replace(self, num_uses=num_uses)

    def serialize(self) -> bytes:
        data: JSONDict = asdict(self)
        data["policies"] = list(self.policies)
        data["bound_cidrs"] = list(self.bound_cidrs)
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()

    @staticmethod
    def deserialize(blob: bytes) -> TokenEntry:
        raw = json.loads(blob)
        raw["policies"] = tuple(raw.get("policies", ()))
        raw["bound_cidrs"] = tuple(raw.get("bound_cidrs", ()))
        return TokenEntry(**raw)


__all__ = ["BATCH", "SERVICE", "TokenEntry"]
