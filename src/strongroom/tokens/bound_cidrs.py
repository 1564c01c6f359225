"""Bound CIDRs: whether a client address may use a token (or log in) from where it is."""

from __future__ import annotations

import ipaddress


def check_bound_cidrs(cidrs: tuple[str, ...], remote_addr: str) -> bool:
    """Whether `remote_addr` is inside one of `cidrs` (an empty list allows every address)."""
    if not cidrs:
        return True
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(c, strict=False) for c in cidrs)


__all__ = ["check_bound_cidrs"]
