"""CIDR handling for AppRole: validating blocks, the subset rule between a role's blocks and
a secret ID's, and the address-or-block form of `token_bound_cidrs`. Pure.

Secret ID blocks must be written as `address/prefix` (Go's net.ParseCIDR); token blocks may be
a bare address, and are stored the way OpenBao's sockaddr prints them (a host block loses its
`/32` or `/128`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from strongroom.auth.approle._messages import (
    ERR_CIDR,
    ERR_CIDR_SUBSET,
    ERR_TOKEN_ADDRESS,
    go_quoted_list,
)
from strongroom.errors import InvalidRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _network(block: str) -> Network | None:
    if "/" not in block:
        return None
    try:
        return ipaddress.ip_network(block, strict=False)
    except ValueError:
        return None


def parse_cidrs(blocks: Iterable[str], message: str = ERR_CIDR) -> tuple[str, ...]:
    """Blocks as given (trimmed, empties dropped); 400 naming the first that is not a CIDR."""
    cleaned = tuple(b.strip() for b in blocks if b.strip())
    for block in cleaned:
        if _network(block) is None:
            raise InvalidRequest(message.format(block))
    return cleaned


def parse_token_cidrs(blocks: Iterable[str], message: str = ERR_TOKEN_ADDRESS) -> tuple[str, ...]:
    """Addresses or blocks for `token_bound_cidrs`, in OpenBao's stored form."""
    parsed: list[str] = []
    for raw in blocks:
        block = raw.strip()
        if not block:
            continue
        try:
            interface = ipaddress.ip_interface(block)
        except ValueError:
            raise InvalidRequest(message.format(block)) from None
        host = interface.network.prefixlen == interface.max_prefixlen
        parsed.append(
            str(interface.ip) if host else f"{interface.ip}/{interface.network.prefixlen}"
        )
    return tuple(parsed)


def check_subset(role_blocks: tuple[str, ...], secret_blocks: tuple[str, ...]) -> None:
    """Every block of a secret ID must lie inside one of its role's blocks (when the role
    has any); 400 otherwise."""
    if not role_blocks or not secret_blocks:
        return
    outer = [ipaddress.ip_network(b, strict=False) for b in role_blocks]
    for block in secret_blocks:
        inner = ipaddress.ip_network(block, strict=False)
        if not any(_inside(inner, o) for o in outer):
            raise InvalidRequest(
                ERR_CIDR_SUBSET.format(go_quoted_list(role_blocks), go_quoted_list(secret_blocks))
            )


def _inside(inner: Network, outer: Network) -> bool:
    if inner.version != outer.version:
        return False
    return inner.subnet_of(outer)  # type: ignore[arg-type]


__all__ = ["check_subset", "parse_cidrs", "parse_token_cidrs"]
