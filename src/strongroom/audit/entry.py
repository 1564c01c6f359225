"""`AuditEntry`: what the request pipeline hands the audit broker. Pure data, no I/O.

One entry describes one request (and, for the response phase, its response or error). The
formatter turns it into Vault's JSON record; the entry itself is never written anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from strongroom.logical import Request, Response, TokenInfo
from strongroom.types import JSONDict


@dataclass(frozen=True, slots=True, init=False)
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

    Two entries are built per audited request, so `__init__` and `outcome` set the slots
    through their descriptors: the frozen dataclass's own `__init__` calls
    `object.__setattr__` per field, which costs twice as much.
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

    def __init__(
        self,
        request: Request,
        time: float,
        response: Response | None = None,
        error: str = "",
        token: TokenInfo | None = None,
        non_hmac_request_keys: tuple[str, ...] = (),
        non_hmac_response_keys: tuple[str, ...] = (),
        request_headers: Mapping[str, str] | None = None,
        plain_headers: frozenset[str] = frozenset(),
        policy_results: JSONDict | None = None,
        token_issue_time: str = "",
    ) -> None:
        _set_request(self, request)
        _set_time(self, time)
        _set_response(self, response)
        _set_error(self, error)
        _set_token(self, token)
        _set_non_hmac_request_keys(self, non_hmac_request_keys)
        _set_non_hmac_response_keys(self, non_hmac_response_keys)
        _set_request_headers(self, {} if request_headers is None else request_headers)
        _set_plain_headers(self, plain_headers)
        _set_policy_results(self, policy_results)
        _set_token_issue_time(self, token_issue_time)
        _set_memo(self, {})

    @property
    def effective_token(self) -> TokenInfo | None:
        """The token the request ran as."""
        return self.token if self.token is not None else self.request.token

    def outcome(self, time: float, response: Response | None, error: str = "") -> AuditEntry:
        """This entry for the response phase: the same request, a new time, the outcome,
        and the same `memo`."""
        phase: AuditEntry = object.__new__(AuditEntry)
        _set_request(phase, self.request)
        _set_time(phase, time)
        _set_response(phase, response)
        _set_error(phase, error)
        _set_token(phase, self.token)
        _set_non_hmac_request_keys(phase, self.non_hmac_request_keys)
        _set_non_hmac_response_keys(phase, self.non_hmac_response_keys)
        _set_request_headers(phase, self.request_headers)
        _set_plain_headers(phase, self.plain_headers)
        _set_policy_results(phase, self.policy_results)
        _set_token_issue_time(phase, self.token_issue_time)
        _set_memo(phase, self.memo)
        return phase


# The slots' setters (frozen: only __init__ and outcome use them, on a new entry).
_slot = AuditEntry.__dict__
_set_request = _slot["request"].__set__
_set_time = _slot["time"].__set__
_set_response = _slot["response"].__set__
_set_error = _slot["error"].__set__
_set_token = _slot["token"].__set__
_set_non_hmac_request_keys = _slot["non_hmac_request_keys"].__set__
_set_non_hmac_response_keys = _slot["non_hmac_response_keys"].__set__
_set_request_headers = _slot["request_headers"].__set__
_set_plain_headers = _slot["plain_headers"].__set__
_set_policy_results = _slot["policy_results"].__set__
_set_token_issue_time = _slot["token_issue_time"].__set__
_set_memo = _slot["memo"].__set__
del _slot


__all__ = ["AuditEntry"]
