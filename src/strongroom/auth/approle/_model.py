"""AppRole's stored records: `Role` and `SecretIDEntry`, their JSON (storage and wire) forms
and the role's consistency rules. Pure: no storage, no clock.

A role keeps the deprecated `policies` and `period` only to echo them back: OpenBao shows them
on reads while a write keeps naming them, and the token fields are what logins use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from strongroom.auth._tokenutil import TokenParams
from strongroom.auth.approle._messages import (
    ERR_BATCH_PERIODIC,
    ERR_NO_CONSTRAINT,
    ERR_SECRET_ID_NUM_USES_NEGATIVE,
    ERR_STRICT_BIND,
)
from strongroom.clock import rfc3339_nano
from strongroom.errors import InvalidRequest
from strongroom.types import JSONDict

# vault-compat: Go's zero time.Time, shown for a secret ID that never expires
ZERO_TIME = "0001-01-01T00:00:00Z"


@dataclass(frozen=True, slots=True)
class Role:
    """One AppRole role. `name` is lower-case (OpenBao folds role names)."""

    name: str
    role_id: str
    bind_secret_id: bool = True
    secret_id_bound_cidrs: tuple[str, ...] = ()
    secret_id_num_uses: int = 0
    secret_id_ttl: int = 0
    local_secret_ids: bool = False
    token_strictly_bind_ip: bool = False
    token: TokenParams = field(default_factory=TokenParams)
    legacy_policies: tuple[str, ...] = ()
    legacy_period: int = 0

    def validate(self) -> None:
        """Raise InvalidRequest unless the role may be saved."""
        if self.secret_id_num_uses < 0:
            raise InvalidRequest(ERR_SECRET_ID_NUM_USES_NEGATIVE)
        self.token.validate()
        if self.token.token_period and self.token.token_type in ("batch", "default-batch"):
            raise InvalidRequest(ERR_BATCH_PERIODIC)
        if self.token_strictly_bind_ip and self.token.token_bound_cidrs:
            raise InvalidRequest(ERR_STRICT_BIND)
        if not (self.bind_secret_id or self.secret_id_bound_cidrs or self.token.token_bound_cidrs):
            raise InvalidRequest(ERR_NO_CONSTRAINT)

    def render(self) -> JSONDict:
        """The `data` of a role read, in OpenBao's field set."""
        body: JSONDict = {
            "bind_secret_id": self.bind_secret_id,
            "local_secret_ids": self.local_secret_ids,
            "secret_id_bound_cidrs": list(self.secret_id_bound_cidrs) or None,
            "secret_id_num_uses": self.secret_id_num_uses,
            "secret_id_ttl": self.secret_id_ttl,
            "token_strictly_bind_ip": self.token_strictly_bind_ip,
            **self.token.to_json(),
        }
        if self.legacy_policies:
            body["policies"] = list(self.legacy_policies)
        if self.legacy_period:
            body["period"] = self.legacy_period
        return dict(sorted(body.items()))

    def to_json(self) -> JSONDict:
        """The stored form."""
        return {
            "name": self.name,
            "role_id": self.role_id,
            "bind_secret_id": self.bind_secret_id,
            "secret_id_bound_cidrs": list(self.secret_id_bound_cidrs),
            "secret_id_num_uses": self.secret_id_num_uses,
            "secret_id_ttl": self.secret_id_ttl,
            "local_secret_ids": self.local_secret_ids,
            "token_strictly_bind_ip": self.token_strictly_bind_ip,
            "token": self.token.to_json(),
            "legacy_policies": list(self.legacy_policies),
            "legacy_period": self.legacy_period,
        }

    @staticmethod
    def from_json(raw: JSONDict) -> Role:
        token: JSONDict = {
            k: tuple(v) if isinstance(v, list) else v for k, v in raw["token"].items()
        }
        return Role(
            name=str(raw["name"]),
            role_id=str(raw["role_id"]),
            bind_secret_id=bool(raw["bind_secret_id"]),
            secret_id_bound_cidrs=tuple(raw["secret_id_bound_cidrs"]),
            secret_id_num_uses=int(raw["secret_id_num_uses"]),
            secret_id_ttl=int(raw["secret_id_ttl"]),
            local_secret_ids=bool(raw["local_secret_ids"]),
            token_strictly_bind_ip=bool(raw["token_strictly_bind_ip"]),
            token=TokenParams(**token),
            legacy_policies=tuple(raw["legacy_policies"]),
            legacy_period=int(raw["legacy_period"]),
        )


@dataclass(frozen=True, slots=True)
class SecretIDEntry:
    """One issued secret ID. Holds the secret's HMAC, never the secret. Times are epoch
    seconds; `expiration_time` 0 means it never expires."""

    secret_id_hmac: str
    accessor: str
    num_uses: int
    ttl: int
    creation_time: float
    expiration_time: float
    last_updated_time: float
    metadata: Mapping[str, str] = field(default_factory=dict)
    cidr_list: tuple[str, ...] = ()
    token_bound_cidrs: tuple[str, ...] = ()

    def expired(self, now: float) -> bool:
        """Past its expiration time (strictly, as Go's time.After)."""
        return self.expiration_time > 0 and now > self.expiration_time

    def render(self) -> JSONDict:
        """The `data` of a secret ID lookup."""
        return {
            "cidr_list": list(self.cidr_list),
            "creation_time": rfc3339_nano(self.creation_time),
            "expiration_time": rfc3339_nano(self.expiration_time)
            if self.expiration_time
            else ZERO_TIME,
            "last_updated_time": rfc3339_nano(self.last_updated_time),
            "metadata": dict(self.metadata),
            "secret_id_accessor": self.accessor,
            "secret_id_num_uses": self.num_uses,
            "secret_id_ttl": self.ttl,
            "token_bound_cidrs": list(self.token_bound_cidrs),
        }

    def to_json(self) -> JSONDict:
        """The stored form."""
        return {
            "secret_id_hmac": self.secret_id_hmac,
            "accessor": self.accessor,
            "num_uses": self.num_uses,
            "ttl": self.ttl,
            "creation_time": self.creation_time,
            "expiration_time": self.expiration_time,
            "last_updated_time": self.last_updated_time,
            "metadata": dict(self.metadata),
            "cidr_list": list(self.cidr_list),
            "token_bound_cidrs": list(self.token_bound_cidrs),
        }

    @staticmethod
    def from_json(raw: JSONDict) -> SecretIDEntry:
        return SecretIDEntry(
            secret_id_hmac=str(raw["secret_id_hmac"]),
            accessor=str(raw["accessor"]),
            num_uses=int(raw["num_uses"]),
            ttl=int(raw["ttl"]),
            creation_time=float(raw["creation_time"]),
            expiration_time=float(raw["expiration_time"]),
            last_updated_time=float(raw["last_updated_time"]),
            metadata={str(k): str(v) for k, v in raw["metadata"].items()},
            cidr_list=tuple(raw["cidr_list"]),
            token_bound_cidrs=tuple(raw["token_bound_cidrs"]),
        )


__all__ = ["ZERO_TIME", "Role", "SecretIDEntry"]
