"""`LeaseEntry`: one lease the expiration manager tracks (a secret's or a token's). Pure."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from strongroom.types import JSONDict

SECRET = "secret"
TOKEN = "token"


@dataclass(frozen=True, slots=True)
class LeaseEntry:
    """A lease. `lease_id` is `<request path>/<random id>` (secrets) or `<login path>/<token
    id>` (tokens), so revoking by prefix follows the paths operators know."""

    lease_id: str
    kind: str
    mount_path: str
    issue_time: float
    expire_time: float
    renewable: bool = False
    last_renewal_time: float = 0.0
    token_id: str = ""
    # A secret's creating token (its entry id; a batch token's parent): revoking that token
    # revokes the lease.
    client_token: str = field(default="", repr=False)
    # A lease made with a batch token never outlives it: the latest `expire_time` allowed,
    # at registration and renewal (0: no limit).
    expire_limit: float = 0.0
    internal_data: JSONDict = field(default_factory=dict, repr=False)
    secret_data: JSONDict = field(default_factory=dict, repr=False)
    attempts: int = 0
    next_attempt: float = 0.0

    def ttl(self, now: float) -> int:
        return max(0, round(self.expire_time - now))

    def serialize(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":")).encode()

    @staticmethod
    def deserialize(blob: bytes) -> LeaseEntry:
        return LeaseEntry(**json.loads(blob))


__all__ = ["SECRET", "TOKEN", "LeaseEntry"]
