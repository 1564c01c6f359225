"""Vault's audit record format: an `AuditEntry` to the JSON object one line holds. Pure.

Shapes checked against OpenBao 2.7 file-device output: empty fields are omitted (Go
`omitempty`), `namespace` is always `{"id": "root"}`, the request `path` is the full path,
and `error` appears only when the request failed. Every string inside request/response
`data` (at any depth, including list items) becomes `hmac-sha256:<hex>`; numbers, booleans
and null stay as they are; map keys are never hashed. Tokens are always hashed; accessors
are hashed unless `hmac_accessor=false`. Auth `metadata`, `display_name`, `policies`,
`entity_id`, secret `lease_id` and `warnings` are written in the clear, as OpenBao does.
`log_raw=true` disables all hashing.

Building a record also says whether it is "plain" (only str, int, bool, None, lists and
dicts with str keys), which lets the devices serialize it with orjson: for plain values it
writes exactly the bytes `json.dumps` writes. Records with anything else (floats above all)
keep the stdlib path. A device passes itself to `build_request`/`build_response`, so the
response record reuses the `auth` and `request` sections (and HMACs) of the request record.
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


_NO_SKIP: frozenset[str] = frozenset()
_SCALARS = frozenset({str, int, bool, type(None)})


def hash_structure(value: JSON, hasher: Hasher | None, skip: frozenset[str] = frozenset()) -> JSON:
    """A copy of `value` with every string hashed; values under a key in `skip` are kept."""
    return _Formatter(hasher, FormatOptions()).walk(value, hasher is not None, skip)


def _is_plain(value: JSON) -> bool:
    """Whether `value` holds only str, int, bool, None, dict (with str keys), list and tuple,
    the values orjson writes byte-for-byte as `json.dumps` does (or refuses: huge ints)."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is dict:
        return all(type(k) is str and _is_plain(v) for k, v in value.items())
    if kind is list or kind is tuple:
        return all(_is_plain(v) for v in value)
    return False


_EMPTY: tuple[object, ...] = (None, "", 0, [], {})
# Sections a _Formatter built and checked itself (`data` by `walk`, the nested records by
# `compact`), or a constant: `compact` does not look into them again.
_CHECKED = frozenset({"data", "auth", "wrap_info", "namespace"})


def _omit_empty(body: JSONDict) -> JSONDict:
    # `v or` first: a truthy value is never one of the empty ones, so most values skip the
    # five comparisons.
    return {k: v for k, v in body.items() if v or v is False or v not in _EMPTY}


def _unhashed(value: str) -> str:
    return value


class _Formatter:
    """Formats one record: the hashing choices, a memo of the HMACs made so far (a record
    repeats the client token and its accessor) and `plain`, whether every value written is
    of a type the fast serializer spells exactly as `json` does (see `_is_plain`)."""

    __slots__ = ("_digest", "hasher", "memo", "options", "plain")

    def __init__(self, hasher: Hasher | None, options: FormatOptions) -> None:
        self.hasher = hasher
        self._digest: Hasher = hasher if hasher is not None else _unhashed
        self.options = options
        self.memo: dict[str, str] = {}
        self.plain = True

    def hash(self, value: str) -> str:
        """The HMAC of `value` (each distinct string of the record is hashed once)."""
        hashed = self.memo.get(value)
        if hashed is None:
            hashed = self.memo[value] = self._digest(value)
        return hashed

    def keep(self, value: JSON) -> JSON:
        """`value` written as it is (noting whether it is plain)."""
        if self.plain and type(value) not in _SCALARS and not _is_plain(value):
            self.plain = False
        return value

    def compact(self, body: JSONDict) -> JSONDict:
        """`body` without its empty values (Go's `omitempty`), noting whether the rest is
        plain. One pass here is cheaper than a check per field as the body is built."""
        out = _omit_empty(body)
        if self.plain:
            for key, value in out.items():
                if type(value) not in _SCALARS and key not in _CHECKED and not _is_plain(value):
                    self.plain = False
                    break
        return out

    def accessor(self, value: str) -> str:
        if value and self.options.hmac_accessor and self.hasher is not None:
            return self.hash(value)
        return value

    def secret(self, value: str) -> str:
        if value and self.hasher is not None:
            return self.hash(value)
        return value

    def walk(self, value: JSON, hashing: bool, skip: frozenset[str]) -> JSON:
        """`hash_structure`: strings hashed when `hashing`, values under keys in `skip` kept,
        mappings become dicts with str keys and tuples lists. Exact dicts, lists and
        scalars take the first tests; anything else gets the generic ones (and is not
        plain)."""
        kind = type(value)
        if kind is str:
            return self.hash(value) if hashing else value
        if kind is not dict:
            if kind is list or kind is tuple:
                return [self.walk(v, hashing, skip) for v in value]
            if kind is int or kind is bool or value is None:
                return value
            self.plain = False
            if isinstance(value, str):
                return self.hash(value) if hashing else value
            if not isinstance(value, Mapping):
                if isinstance(value, list | tuple):
                    return [self.walk(v, hashing, skip) for v in value]
                return value
        if skip:
            return {
                str(k): self.walk(v, False, _NO_SKIP) if k in skip else self.walk(v, hashing, skip)
                for k, v in value.items()
            }
        return {str(k): self.walk(v, hashing, skip) for k, v in value.items()}

    def data(self, value: JSON, skip: tuple[str, ...]) -> JSON:
        return self.walk(value, self.hasher is not None, frozenset(skip) if skip else _NO_SKIP)

    def token_auth(self, entry: AuditEntry) -> JSONDict:
        token = entry.effective_token
        client_token = entry.request.client_token
        if token is None:
            return self.compact({"policy_results": entry.policy_results, "token_type": "default"})
        return self.compact(
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
        plain_headers = entry.plain_headers
        return self.compact(
            {
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
                    k: [v if k in plain_headers else self.secret(v)]
                    for k, v in entry.request_headers.items()
                },
            }
        )

    def auth(self, auth: Auth) -> JSONDict:
        return self.compact(
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
        return self.compact(
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
        return self.compact(
            {
                "auth": self.auth(resp.auth) if resp.auth else None,
                "secret": {"lease_id": resp.secret.lease_id} if resp.secret else None,
                "mount_point": req.mount_point,
                "mount_type": req.mount_type,
                "mount_accessor": req.mount_accessor,
                "data": self.data(data, entry.non_hmac_response_keys) if data else None,
                "wrap_info": self.wrap_info(resp.wrap_info) if resp.wrap_info else None,
                "warnings": list(resp.warnings),
            }
        )


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


Formatted = tuple[JSONDict, bool]
"""A record and whether it is plain (every value of a type orjson writes as `json` does)."""


class _Sections:
    """The `auth` and `request` sections of an entry as one device formatted them, kept in
    `AuditEntry.memo` for the response record, which repeats them."""

    __slots__ = ("auth", "hashes", "plain", "request")

    def __init__(self, fmt: _Formatter, auth: JSONDict, request: JSONDict) -> None:
        self.auth = auth
        self.request = request
        self.plain = fmt.plain
        self.hashes = fmt.memo


def build_request(
    entry: AuditEntry, hasher: Hasher | None, options: FormatOptions, device: object = None
) -> Formatted:
    """The `"type": "request"` record, and whether it is plain. With a `device` (any
    hashable owner of `hasher` and `options`), its sections are kept for `build_response`."""
    fmt = _Formatter(hasher, options)
    record: JSONDict = {
        "time": format_time(entry.time),
        "type": "request",
        "auth": fmt.token_auth(entry),
        "request": fmt.request(entry),
    }
    if device is not None:
        entry.memo[device] = _Sections(fmt, record["auth"], record["request"])
    if entry.error:
        record["error"] = fmt.keep(entry.error)
    return record, fmt.plain


def build_response(
    entry: AuditEntry, hasher: Hasher | None, options: FormatOptions, device: object = None
) -> Formatted:
    """The `"type": "response"` record, and whether it is plain. The sections that
    `build_request` kept for the same `device` are reused (they are equal by construction:
    `AuditEntry.outcome` keeps every field they depend on)."""
    fmt = _Formatter(hasher, options)
    time = format_time(entry.time)
    kept = entry.memo.get(device) if device is not None else None
    if isinstance(kept, _Sections):
        fmt.memo, fmt.plain = kept.hashes, kept.plain
        record: JSONDict = {"time": time, "type": "response", "auth": kept.auth}
        record["request"] = kept.request
    else:
        record = {"time": time, "type": "response", "auth": fmt.token_auth(entry)}
        record["request"] = fmt.request(entry)
    if entry.response is not None:
        record["response"] = fmt.response(entry, entry.response)
    else:
        req = entry.request
        record["response"] = fmt.compact(
            {
                "mount_point": req.mount_point,
                "mount_type": req.mount_type,
                "mount_accessor": req.mount_accessor,
            }
        )
    if entry.error:
        record["error"] = fmt.keep(entry.error)
    return record, fmt.plain


def format_request(
    entry: AuditEntry, hasher: Hasher | None, options: FormatOptions = FormatOptions()
) -> JSONDict:
    """The `"type": "request"` record. `hasher=None` means log_raw."""
    return build_request(entry, hasher, options)[0]


def format_response(
    entry: AuditEntry, hasher: Hasher | None, options: FormatOptions = FormatOptions()
) -> JSONDict:
    """The `"type": "response"` record. `hasher=None` means log_raw."""
    return build_response(entry, hasher, options)[0]


__all__ = [
    "FormatOptions",
    "Formatted",
    "Hasher",
    "build_request",
    "build_response",
    "elide_list_data",
    "format_request",
    "format_response",
    "format_time",
    "hash_structure",
]
