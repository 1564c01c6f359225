"""A user's token settings from a write: the shared token fields (auth._tokenutil), OpenBao's
deprecated aliases (`policies`, `bound_cidrs`, `ttl`, `max_ttl`) and `token_strictly_bind_ip`.

Pure: turns FieldData plus the stored user into new settings, or raises InvalidRequest.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, replace

from strongroom.auth._tokenutil import TOKEN_FIELDS, TokenParams
from strongroom.auth.userpass._messages import ERR_STRICT_BIND_CONFLICT
from strongroom.auth.userpass._user import DEPRECATED_ALIASES, UserEntry
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType
from strongroom.types import JSON

STRICT_BIND = "token_strictly_bind_ip"

POLICIES_FIELDS: dict[str, Field] = {
    "token_policies": TOKEN_FIELDS["token_policies"],
    "policies": Field(
        FieldType.COMMA_STRING_SLICE,
        "Deprecated: use token_policies, which wins when both are sent.",
        deprecated=True,
    ),
}

USER_TOKEN_FIELDS: dict[str, Field] = {
    **TOKEN_FIELDS,
    **POLICIES_FIELDS,
    STRICT_BIND: Field(
        FieldType.BOOL, "Bind each token issued to the address the login came from."
    ),
    "bound_cidrs": Field(
        FieldType.COMMA_STRING_SLICE,
        "Deprecated: use token_bound_cidrs, which wins when both are sent.",
        deprecated=True,
    ),
    "ttl": Field(
        FieldType.DURATION,
        "Deprecated: use token_ttl, which wins when both are sent.",
        deprecated=True,
    ),
    "max_ttl": Field(
        FieldType.DURATION,
        "Deprecated: use token_max_ttl, which wins when both are sent.",
        deprecated=True,
    ),
}


@dataclass(frozen=True, slots=True)
class TokenSettings:
    """The token part of a user."""

    token: TokenParams
    strictly_bind_ip: bool
    deprecated: frozenset[str]


def sanitize_policies(names: Iterable[str]) -> tuple[str, ...]:
    """Policy names as OpenBao's policy parsing leaves them: trimmed, lowercased, without
    empties or duplicates, sorted; a list naming `root` becomes just `root`."""
    cleaned = {n.strip().lower() for n in names if n.strip()}
    if "root" in cleaned:
        return ("root",)
    return tuple(sorted(cleaned))


def _canonical_cidr(text: str) -> str:
    """OpenBao's rendering of a bound CIDR (already validated by TokenParams): a single host
    prints as its address alone."""
    interface = ipaddress.ip_interface(text.strip())
    network = interface.network
    if network.prefixlen == network.max_prefixlen:
        return str(interface.ip)
    return f"{interface.ip}/{network.prefixlen}"


def _apply_aliases(
    data: FieldData, token_raw: dict[str, JSON], in_use: set[str], *, only: Iterable[str]
) -> None:
    """Fill `token_raw` from the deprecated aliases in `only` and track which are in use: an
    alias sent marks it in use (its token_ field still wins); the token_ field alone clears
    the mark."""
    for alias in only:
        target = DEPRECATED_ALIASES[alias]
        if data.has(alias):
            in_use.add(alias)
            if target not in token_raw:
                value = data.get(alias)
                token_raw[target] = list(sanitize_policies(value)) if alias == "policies" else value
        elif target in token_raw:
            in_use.discard(alias)


def _finish(
    token_raw: dict[str, JSON], old: UserEntry | None, strict: bool, in_use: set[str]
) -> TokenSettings:
    params = TokenParams.parse(FieldData(token_raw, TOKEN_FIELDS), old.token if old else None)
    cidrs = tuple(_canonical_cidr(c) for c in params.token_bound_cidrs)
    params = replace(params, token_bound_cidrs=cidrs)
    if strict and cidrs:
        raise InvalidRequest(ERR_STRICT_BIND_CONFLICT)
    return TokenSettings(params, strict, frozenset(in_use))


def user_token_settings(data: FieldData, old: UserEntry | None) -> TokenSettings:
    """The settings a `users/:username` write leaves. `token_policies` is kept as sent (as
    OpenBao's read shows it); the deprecated `policies` goes through policy parsing."""
    token_raw: dict[str, JSON] = {k: data.get(k) for k in TOKEN_FIELDS if data.has(k)}
    in_use = set(old.deprecated) if old else set()
    _apply_aliases(data, token_raw, in_use, only=DEPRECATED_ALIASES)
    strict = old.strictly_bind_ip if old else False
    if data.has(STRICT_BIND):
        strict = data.boolean(STRICT_BIND)
    return _finish(token_raw, old, strict, in_use)


def policy_settings(data: FieldData, old: UserEntry) -> TokenSettings:
    """The settings a `users/:username/policies` write leaves: here both `token_policies` and
    `policies` go through policy parsing (as OpenBao does on this endpoint)."""
    token_raw: dict[str, JSON] = {}
    if data.has("token_policies"):
        token_raw["token_policies"] = list(sanitize_policies(data.strings("token_policies")))
    in_use = set(old.deprecated)
    _apply_aliases(data, token_raw, in_use, only=("policies",))
    return _finish(token_raw, old, old.strictly_bind_ip, in_use)


__all__ = [
    "POLICIES_FIELDS",
    "STRICT_BIND",
    "USER_TOKEN_FIELDS",
    "TokenSettings",
    "policy_settings",
    "sanitize_policies",
    "user_token_settings",
]
