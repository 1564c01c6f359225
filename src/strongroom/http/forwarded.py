"""X-Forwarded-For: the client address a trusted proxy reports, per listener.

Owns the listener's `x_forwarded_for_*` decision, as OpenBao's http.WrapForwardedForHandler
makes it: given the TCP peer and the request's X-Forwarded-For header lines, either the
`Connection` every later step sees (audit `remote_address`, bound-CIDR checks) or a 400.
Pure and synchronous: it must not parse configuration files, read sockets or know Vault paths.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from strongroom.errors import InvalidRequest
from strongroom.logical import Connection

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

HEADER = "x-forwarded-for"

# vault-compat: OpenBao's error texts for the listener's x_forwarded_for_* settings.
ERR_NOT_PRESENT = "missing x-forwarded-for header and configured to reject when not present"
ERR_NOT_AUTHORIZED = (
    "client address not authorized for x-forwarded-for and configured to reject connection"
)
ERR_HOP_SKIPS = (
    "malformed x-forwarded-for configuration or request, hops to skip ({hops}) would skip"
    " before earliest chain link (chain length {lines})"
)
ERR_CLIENT_ADDRESS = "error parsing client address: {address!r} is not an IP address"


@dataclass(frozen=True, slots=True)
class ForwardedFor:
    """One listener's X-Forwarded-For settings, parsed.

    Both reject flags default to false, which is what OpenBao does (its documentation says
    true; `bao server` 2.7 serves a request without the header, or from an unlisted peer).
    """

    authorized: tuple[IPNetwork, ...]
    hop_skips: int = 0
    reject_not_authorized: bool = False
    reject_not_present: bool = False

    @classmethod
    def parse(
        cls,
        authorized_addrs: Iterable[str],
        *,
        hop_skips: int = 0,
        reject_not_authorized: bool = False,
        reject_not_present: bool = False,
    ) -> ForwardedFor:
        """From the config's strings; ValueError for an address that is not an IP or CIDR."""
        if hop_skips < 0:
            raise ValueError("x_forwarded_for_hop_skips must not be negative")
        return cls(
            authorized=tuple(
                ipaddress.ip_network(a.strip(), strict=False) for a in authorized_addrs
            ),
            hop_skips=hop_skips,
            reject_not_authorized=reject_not_authorized,
            reject_not_present=reject_not_present,
        )

    def is_authorized(self, peer: str) -> bool | None:
        """Whether the TCP peer may set X-Forwarded-For; None when `peer` is not an IP."""
        try:
            address: IPAddress = ipaddress.ip_address(peer)
        except ValueError:
            return None
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            # Go's net.IP sees "::ffff:a.b.c.d" (a dual-stack socket's IPv4 peer) as IPv4.
            address = address.ipv4_mapped
        return any(address in network for network in self.authorized)

    def resolve(self, lines: Sequence[str], connection: Connection) -> Connection:
        """The connection as the client is seen: `lines` are the X-Forwarded-For header lines
        (none when the header is absent). Raises InvalidRequest (400) where OpenBao refuses."""
        if not lines:
            if self.reject_not_present:
                raise InvalidRequest(ERR_NOT_PRESENT)
            return connection
        authorized = self.is_authorized(connection.remote_addr)
        if authorized is None:
            # OpenBao: a peer address it cannot parse counts as "no usable header".
            if self.reject_not_present:
                raise InvalidRequest(ERR_CLIENT_ADDRESS.format(address=connection.remote_addr))
            return connection
        if not authorized:
            if self.reject_not_authorized:
                raise InvalidRequest(ERR_NOT_AUTHORIZED)
            return connection  # an untrusted peer's header is ignored
        chain = [hop.strip() for line in lines for hop in line.split(",")]
        index = len(chain) - 1 - self.hop_skips
        if index < 0:
            # vault-compat: OpenBao reports the number of header lines as the chain length.
            raise InvalidRequest(ERR_HOP_SKIPS.format(hops=self.hop_skips, lines=len(lines)))
        return _client(chain[index], connection)


def _client(hop: str, connection: Connection) -> Connection:
    """The connection with the chosen hop as its address and the TCP peer's port.

    The hop is taken as written (OpenBao does not check that it is an IP: a bound-CIDR check
    then fails closed). A hop with a bracket leaves OpenBao unable to split "host:port" again,
    so its requests carry no address and no port; we do the same.
    """
    if "[" in hop or "]" in hop:
        return replace(connection, remote_addr="", remote_port=0)
    return replace(connection, remote_addr=hop)


__all__ = [
    "ERR_HOP_SKIPS",
    "ERR_NOT_AUTHORIZED",
    "ERR_NOT_PRESENT",
    "HEADER",
    "ForwardedFor",
]
