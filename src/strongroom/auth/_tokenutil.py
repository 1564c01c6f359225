"""The token fields every auth method's roles and users share (Vault's tokenutil):
`token_ttl`, `token_max_ttl`, `token_period`, `token_policies`, `token_num_uses`,
`token_no_default_policy`, `token_type`, `token_explicit_max_ttl`, `token_bound_cidrs`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import asdict, dataclass

from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType
from strongroom.logical import Auth
from strongroom.tokens import check_bound_cidrs
from strongroom.types import JSONDict

TOKEN_FIELDS: dict[str, Field] = {
    "token_ttl": Field(FieldType.DURATION, "Initial TTL of tokens issued."),
    "token_max_ttl": Field(FieldType.DURATION, "Maximum lifetime of tokens issued."),
    "token_period": Field(FieldType.DURATION, "Period of periodic tokens issued."),
    "token_policies": Field(FieldType.COMMA_STRING_SLICE, "Policies of tokens issued."),
    "token_num_uses": Field(FieldType.INT, "Uses allowed per token (0: unlimited)."),
    "token_no_default_policy": Field(FieldType.BOOL, "Do not add the default policy."),
    "token_type": Field(FieldType.STRING, "service, batch, default-service or default-batch."),
    "token_explicit_max_ttl": Field(FieldType.DURATION, "Hard limit on token lifetime."),
    "token_bound_cidrs": Field(FieldType.COMMA_STRING_SLICE, "CIDRs tokens may be used from."),
}

# vault-compat: auth methods accept only these (the default-* forms are token-role only)
_TYPES = ("service", "batch", "default")
_DURATIONS = ("token_ttl", "token_max_ttl", "token_period", "token_explicit_max_ttl")


@dataclass(frozen=True, slots=True)
class TokenParams:
    """Stored token settings of a role or user."""

    token_ttl: int = 0
    token_max_ttl: int = 0
    token_period: int = 0
    token_policies: tuple[str, ...] = ()
    token_num_uses: int = 0
    token_no_default_policy: bool = False
    token_type: str = "default"
    token_explicit_max_ttl: int = 0
    token_bound_cidrs: tuple[str, ...] = ()

    @staticmethod
    def parse(data: FieldData, old: TokenParams | None = None) -> TokenParams:
        """Apply the token fields present in `data` onto `old` (or the defaults); 400 when
        they are inconsistent."""
        base = asdict(old or TokenParams())
        for key in _DURATIONS:
            if data.has(key) and data.duration(key) < 0:
                # vault-compat: tokenutil's negative-duration text
                raise InvalidRequest(
                    f'error converting input for field "{key}": cannot provide negative value '
                    f"'{data.duration(key)}'"
                )
        for key in TOKEN_FIELDS:
            if data.has(key):
                value = data.get(key)
                base[key] = tuple(v for v in value if v) if isinstance(value, list) else value
        params = TokenParams(**base)
        params.validate()
        return params

    def validate(self) -> None:
        if self.token_type not in _TYPES:
            raise InvalidRequest(f"invalid 'token_type' value \"{self.token_type}\"")
        if self.token_num_uses < 0:
            raise InvalidRequest("'token_num_uses' cannot be negative")
        if self.token_type == "batch" and self.token_num_uses > 0:
            raise InvalidRequest(
                "'token_type' cannot be 'batch' or 'default_batch' when set to generate tokens "
                "with limited use count"
            )
        if self.token_max_ttl and self.token_ttl > self.token_max_ttl:
            raise InvalidRequest("'token_ttl' cannot be greater than 'token_max_ttl'")
        for cidr in self.token_bound_cidrs:
            try:
                ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                raise InvalidRequest(
                    f'error parsing address "{cidr}": Unable to convert "{cidr}" to an IPv4 or '
                    "IPv6 address, or a UNIX Socket"
                ) from None

    def to_json(self) -> JSONDict:
        body: JSONDict = asdict(self)
        for key, value in body.items():
            if isinstance(value, tuple):
                body[key] = list(value)
        return body

    def auth(
        self,
        *,
        display_name: str,
        alias_name: str,
        metadata: dict[str, str] | None = None,
        policies: tuple[str, ...] | None = None,
    ) -> Auth:
        """The `Auth` a login returns; the core turns it into a token."""
        token_type = {
            "default": "service",
            "default-service": "service",
            "default-batch": "batch",
        }.get(self.token_type, self.token_type)
        chosen = tuple(sorted(set(policies if policies is not None else self.token_policies)))
        return Auth(
            policies=chosen,
            token_policies=chosen,
            metadata=dict(metadata or {}),
            lease_duration=self.token_ttl,
            renewable=True,
            token_type=token_type,
            num_uses=self.token_num_uses,
            period=self.token_period,
            explicit_max_ttl=self.token_explicit_max_ttl,
            max_ttl=self.token_max_ttl,
            no_default_policy=self.token_no_default_policy,
            bound_cidrs=self.token_bound_cidrs,
            display_name=display_name,
            alias_name=alias_name,
        )


__all__ = ["TOKEN_FIELDS", "TokenParams", "check_bound_cidrs"]
