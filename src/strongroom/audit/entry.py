"""`AuditEntry`: what the request pipeline hands the audit broker. Pure data, no I/O.

One entry describes one request (and, for the response phase, its response or error). The
formatter turns it into Vault's JSON record; the entry itself is never written anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from strongroom.fast_init import fast_init, slot_setter
from strongroom.logical import Request, Response, TokenInfo
from strongroom.types import JSONDict


@fast_init
@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One request (and optionally its outcome) to audit.

    `time` is epoch seconds from the injected Clock. `token` defaults to `request.token`.
    `non_hmac_*_keys` come from the mount's tune config (`audit_non_hmac_request_keys` ...):
    values under those keys, at any depth of the data, are written in the clear (as OpenBao
    does). `request_headers` holds only the headers the operator chose to audit
    (sys/config/auditing/request-headers); they are HMACed like any other string, except
    those named in `plain_headers` (configured with `hmac = false`).

    `memo` is scratch space for the devices: the `auth` and `request` sections of the
    response record are those of the request record, so a device formats them once and
    keeps them there. Only `outcome` hands it on (it keeps every field they depend on);
    any other copy, `dataclasses.replace` included, starts with an empty one.

    Two entries are built per audited request: `fast_init` gives it an `__init__` that sets
    the slots directly.
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
    memo: dict[object, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def effective_token(self) -> TokenInfo | None:
        """The token the request ran as."""
        return self.token if self.token is not None else self.request.token

    def outcome(self, time: float, response: Response | None, error: str = "") -> AuditEntry:
        """This entry for the response phase: the same request, a new time, the outcome,
        and the same `memo`."""
        phase = AuditEntry(
            self.request,
            time,
            response,
            error,
            self.token,
            self.non_hmac_request_keys,
            self.non_hmac_response_keys,
            self.request_headers,
            self.plain_headers,
            self.policy_results,
            self.token_issue_time,
        )
        _set_memo(phase, self.memo)
        return phase


_set_memo = slot_setter(AuditEntry, "memo")


__all__ = ["AuditEntry"]
