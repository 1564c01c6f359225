"""Seal configuration: how the unseal key is split (type, shares, threshold). Pure.

Stored in the clear at `core/seal-config` (it holds no secret) so `sys/seal-status` can answer
while sealed. Validation messages are OpenBao's.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from strongroom.errors import InvalidRequest

# vault-compat: prefix of every seal-configuration error
_PREFIX = "invalid seal configuration: "


@dataclass(frozen=True, slots=True)
class SealConfig:
    """Shamir parameters of the barrier's unseal key."""

    type: str = "shamir"
    secret_shares: int = 0
    secret_threshold: int = 0
    stored_shares: int = 0

    def validate(self) -> None:
        """Raise InvalidRequest with OpenBao's message for an impossible configuration."""
        if self.secret_shares < 1:
            raise InvalidRequest(_PREFIX + "shares must be at least one")
        if self.secret_threshold < 1:
            raise InvalidRequest(_PREFIX + "threshold must be at least one")
        if self.secret_shares > 1 and self.secret_threshold == 1:
            raise InvalidRequest(_PREFIX + "threshold must be greater than one for multiple shares")
        if self.secret_shares > 255:
            raise InvalidRequest(_PREFIX + "shares must be less than 256")
        if self.secret_threshold > self.secret_shares:
            raise InvalidRequest(_PREFIX + "threshold cannot be larger than shares")

    def serialize(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode()

    @staticmethod
    def deserialize(blob: bytes) -> SealConfig:
        raw = json.loads(blob)
        return SealConfig(
            type=str(raw["type"]),
            secret_shares=int(raw["secret_shares"]),
            secret_threshold=int(raw["secret_threshold"]),
            stored_shares=int(raw.get("stored_shares", 0)),
        )


__all__ = ["SealConfig"]
