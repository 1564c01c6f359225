"""`AuditEntry`: what the request pipeline hands the audit broker. Pure data, no I/O.

One entry describes one request (and, for the response phase, its response or error). The
formatter turns it into Vault's JSON record; the entry itself is never written anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from strongroom.logical import Request, Response, TokenInfo
from strongroom.types import JSONDict


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One request (and optionally its outcome) to audit.

    `time` is epoch seconds from the injected Clock. `token` defaults to `request.token`.
    `non_hmac_*_keys` come from the mount's tune config (`audit_non_hmac_request_keys` ...):
    values under those keys, at any depth of the data, are written in the clear (as OpenBao
    does). `request_headers` holds only the headers the operator chose to audit
    (sys/config/auditing/request-headers); they are HMACed like any other string, except
    those named in `plain_headers` (configured with `hmac = false`).
    """

    request: Request
    time: float
    response: Response | None = None
    error: str = ""
    token: TokenInfo | None = None
    non_hmac_request_keys: tuple[str, ...] = ()
    non_hmac_response_keys: tuple[str, ...] = ()
    request_headers: Mapping[str, str] = field(default_factory=dict)
    plain_headers: frozenset[str] = frozenset()
    policy_results: JSONDict | None = None
    token_issue_time: str = ""

    @property
    def effective_token(self) -> TokenInfo | None:
        """The token the request ran as."""
        return self.token if self.token is not None else self.request.token


__all__ = ["AuditEntry"]
