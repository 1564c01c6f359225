"""Vault's audit record format: an `AuditEntry` to the JSON object one line holds. Pure.

Shapes checked against OpenBao 2.7 file-device output: empty fields are omitted (Go
`omitempty`), `namespace` is always `{"id": "root"}`, the request `path` is the full path,
and `error` appears only when the request failed. Every string inside request/response
`data` (at any depth, including list items) becomes `hmac-sha256:<hex>`; numbers, booleans
and null stay as they are; map keys are never hashed. Tokens are always hashed; accessors
are hashed unless `hmac_accessor=false`. Auth `metadata`, `display_name`, `policies`,
`entity_id`, secret `lease_id` and `warnings` are written in the clear, as OpenBao does.
`log_raw=true` disables all hashing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from strongroom.audit.entry import AuditEntry
from strongroom.clock import rfc3339_nano
from strongroom.logical import Auth, Operation, Request, Response, TokenInfo, WrapInfo
from strongroom.types import JSON, JSONDict

Hasher = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class FormatOptions:
    """The formatting options of one device (Vault's audit device options)."""

    hmac_accessor: bool = True
    elide_list_responses: bool = False


# Audit records carry Go's RFC3339Nano times, as OpenBao writes them.
format_time = rfc3339_nano


def hash_structure(value: JSON, hasher: Hasher | None, skip: frozenset[str] = frozenset()) -> JSON:
    """A copy of `value` with every string hashed; values under a key in `skip` are kept."""
    if isinstance(value, str):
        return hasher(value) if hasher is not None else value
    if isinstance(value, Mapping):
        return {
            str(k): (_plain(v) if k in skip else hash_structure(v, hasher, skip))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [hash_structure(v, hasher, skip) for v in value]
    return value


def _plain(value: JSON) -> JSON:
    """`value` as JSON-ready data, unhashed (tuples become lists)."""
    return hash_structure(value, None)


_EMPTY: tuple[object, ...] = (None, "", 0, [], {})


def _omit_empty(body: JSONDict) -> JSONDict:
    return {k: v for k, v in body.items() if v is False or v not in _EMPTY}


class _Formatter:
    """Holds the hashing choices for one record."""

    def __init__(self, hasher: Hasher | None, options: FormatOptions) -> None:
        self.hash = hasher if hasher is not None else (lambda s: s)
        self.raw = hasher is None
        self.options = options

    def accessor(self, value: str) -> str:
        return self.hash(value) if value and self.options.hmac_accessor else value

    def secret(self, value: str) -> str:
        return self.hash(value) if value else value

    def data(self, value: JSON, skip: tuple[str, ...]) -> JSON:
        return hash_structure(value, None if self.raw else self.hash, frozenset(skip))

    def token_auth(self, entry: AuditEntry) -> JSONDict:
        token = entry.effective_token
        client_token = entry.request.client_token
        if token is None:
            body: JSONDict = {"policy_results": entry.policy_results, "token_type": "default"}
            return _omit_empty(body)
        return _omit_empty(
            {
                "client_token": self.secret(client_token.reveal() if client_token else ""),
                "accessor": self.accessor(token.accessor),
                "display_name": token.display_name,
                "policies": list(token.policies),
                "token_policies": list(token.policies),
                "metadata": dict(token.metadata),
                "entity_id": token.entity_id,
                "policy_results": entry.policy_results,
                "token_type": token.token_type,
                "token_ttl": token.ttl,
                "token_issue_time": entry.token_issue_time,
            }
        )

    def request(self, entry: AuditEntry) -> JSONDict:
        req: Request = entry.request
        token: TokenInfo | None = entry.effective_token
        client_token = req.client_token.reveal() if req.client_token else ""
        body: JSONDict = {
            "id": req.id,
            "operation": str(req.operation),
            "mount_point": req.mount_point,
            "mount_type": req.mount_type,
            "mount_accessor": req.mount_accessor,
            "client_token": self.secret(client_token),
            "client_token_accessor": self.accessor(token.accessor if token else ""),
            "namespace": {"id": "root"},
            "path": req.full_path,
            "data": self.data(req.data, entry.non_hmac_request_keys) if req.data else None,
            "remote_address": req.connection.remote_addr,
            "remote_port": req.connection.remote_port,
            "wrap_ttl": req.wrap_ttl,
            "headers": {
                k: [v if k in entry.plain_headers else self.secret(v)]
                for k, v in entry.request_headers.items()
            },
        }
        return _omit_empty(body)

    def auth(self, auth: Auth) -> JSONDict:
        return _omit_empty(
            {
                "client_token": self.secret(auth.client_token),
                "accessor": self.accessor(auth.accessor),
                "display_name": auth.display_name,
                "policies": list(auth.policies),
                "token_policies": list(auth.token_policies),
                "identity_policies": list(auth.identity_policies),
                "metadata": dict(auth.metadata),
                "entity_id": auth.entity_id,
                "token_type": auth.token_type,
                "token_ttl": auth.lease_duration,
            }
        )

    def wrap_info(self, wrap: WrapInfo) -> JSONDict:
        return _omit_empty(
            {
                "ttl": wrap.ttl,
                "token": self.secret(wrap.token),
                "accessor": self.accessor(wrap.accessor),
                "creation_time": wrap.creation_time,
                "creation_path": wrap.creation_path,
                "wrapped_accessor": self.accessor(wrap.wrapped_accessor),
            }
        )

    def response(self, entry: AuditEntry, resp: Response) -> JSONDict:
        req = entry.request
        data = resp.data
        if data is not None and self.options.elide_list_responses:
            data = elide_list_data(req.operation, data)
        body: JSONDict = {
            "auth": self.auth(resp.auth) if resp.auth else None,
            "secret": {"lease_id": resp.secret.lease_id} if resp.secret else None,
            "mount_point": req.mount_point,
            "mount_type": req.mount_type,
            "mount_accessor": req.mount_accessor,
            "data": self.data(data, entry.non_hmac_response_keys) if data else None,
            "wrap_info": self.wrap_info(resp.wrap_info) if resp.wrap_info else None,
            "warnings": list(resp.warnings),
        }
        return _omit_empty(body)


def elide_list_data(operation: Operation, data: JSONDict) -> JSONDict:
    """For list responses, `keys` (a list) and `key_info` (a map) become their sizes."""
    if operation != Operation.LIST:
        return data
    out = dict(data)
    if isinstance(out.get("keys"), list | tuple):
        out["keys"] = len(out["keys"])
    if isinstance(out.get("key_info"), Mapping):
        out["key_info"] = len(out["key_info"])
    return out


def format_request(
    entry: AuditEntry, hasher: Hasher | None, options: FormatOptions = FormatOptions()
) -> JSONDict:
    """The `"type": "request"` record. `hasher=None` means log_raw."""
    fmt = _Formatter(hasher, options)
    record: JSONDict = {
        "time": format_time(entry.time),
        "type": "request",
        "auth": fmt.token_auth(entry),
        "request": fmt.request(entry),
    }
    if entry.error:
        record["error"] = entry.error
    return record


def format_response(
    entry: AuditEntry, hasher: Hasher | None, options: FormatOptions = FormatOptions()
) -> JSONDict:
    """The `"type": "response"` record. `hasher=None` means log_raw."""
    fmt = _Formatter(hasher, options)
    record: JSONDict = {
        "time": format_time(entry.time),
        "type": "response",
        "auth": fmt.token_auth(entry),
        "request": fmt.request(entry),
    }
    if entry.response is not None:
        record["response"] = fmt.response(entry, entry.response)
    else:
        req = entry.request
        record["response"] = _omit_empty(
            {
                "mount_point": req.mount_point,
                "mount_type": req.mount_type,
                "mount_accessor": req.mount_accessor,
            }
        )
    if entry.error:
        record["error"] = entry.error
    return record


__all__ = [
    "FormatOptions",
    "Hasher",
    "elide_list_data",
    "format_request",
    "format_response",
    "format_time",
    "hash_structure",
]
