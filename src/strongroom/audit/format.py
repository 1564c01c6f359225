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
keep the stdlib path. A device passes its `RecordCache` to `build_request`/`build_response`:
the response record reuses the `auth` and `request` sections (and HMACs) of the request
record, and the `auth` section of a token is built once and reused by its later requests.
"""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.audit._record_cache import PREFIXES, RecordCache, TokenSections
from strongroom.audit._values import (
    EMPTY,
    SCALARS,
    FormatOptions,
    Hasher,
    Values,
    is_plain,
    omit_empty,
)
from strongroom.audit.entry import AuditEntry
from strongroom.clock import rfc3339_nano
from strongroom.logical import Auth, Operation, Request, Response, TokenInfo, WrapInfo
from strongroom.types import JSON, JSONDict

_DEFAULT_OPTIONS = FormatOptions()

# Audit records carry Go's RFC3339Nano times, as OpenBao writes them.
format_time = rfc3339_nano


def hash_structure(value: JSON, hasher: Hasher | None, skip: frozenset[str] = frozenset()) -> JSON:
    """A copy of `value` with every string hashed; values under a key in `skip` are kept."""
    return Values(hasher, _DEFAULT_OPTIONS).walk(value, hasher is not None, skip)


class _Formatter(Values):
    """Formats one record's sections (see `Values` for how it writes values)."""

    __slots__ = ("kept",)

    def __init__(self, hasher: Hasher | None, options: FormatOptions) -> None:
        Values.__init__(self, hasher, options)  # (no super object: two of these per request)
        self.kept: TokenSections | None = None  # the cached token the request ran as

    def token_auth(self, entry: AuditEntry, cache: RecordCache | None = None) -> JSONDict:
        token = entry.token
        request = entry.request
        if token is None:
            token = request.token
            if token is None:
                return self.compact(
                    {"policy_results": entry.policy_results, "token_type": "default"}
                )
            # The token the pipeline resolved from the request's own client token (so its
            # entry id stands for that token).
            if (
                cache is not None
                and token.entry_id
                and (
                    token.token_id is request.client_token or token.token_id == request.client_token
                )
                and entry.policy_results is None
                and self.hasher is not None
            ):
                return self._cached_token_auth(entry, token, cache)
        return self._token_auth(entry, token)

    def _token_auth(self, entry: AuditEntry, token: TokenInfo) -> JSONDict:
        client_token = entry.request.client_token
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

    def _cached_token_auth(
        self, entry: AuditEntry, token: TokenInfo, cache: RecordCache
    ) -> JSONDict:
        """`_token_auth` from `cache` when this token's section is there and was built from
        the same values; otherwise built and kept. The client token and accessor HMACs go
        into this record's memo either way, for the `request` section."""
        client_token = entry.request.client_token
        secret = client_token.reveal() if client_token else ""
        source = (
            hash(secret),
            token.accessor,
            token.display_name,
            token.policies,
            token.entity_id,
            token.token_type,
            token.ttl,
            entry.token_issue_time,
        )
        kept = cache.tokens.get(token.entry_id)
        if kept is not None and kept.source == source and kept.metadata == token.metadata:
            if kept.client_token is not None:
                self.memo[secret] = kept.client_token
            if kept.accessor is not None:
                self.memo[token.accessor] = kept.accessor
            if not kept.plain:
                self.plain = False
            self.kept = kept
            return kept.section
        plain, self.plain = self.plain, True
        section = self._token_auth(entry, token)
        kept = TokenSections(
            source,
            dict(token.metadata),
            section,
            self.plain,
            self.memo.get(secret) if secret else None,
            self.memo.get(token.accessor) if token.accessor else None,
        )
        self.plain = plain and self.plain
        cache.remember(token.entry_id, kept)
        self.kept = kept
        return section

    def request(self, entry: AuditEntry) -> JSONDict:
        req: Request = entry.request
        # Vault's order, each field written only when not empty (`omit_empty`'s test): one
        # test each instead of a second dict.
        request_id: object = req.id  # (any type: the tests below are exact)
        out: JSONDict = (
            {"id": request_id}
            if request_id or request_id is False or request_id not in EMPTY
            else {}
        )
        out.update(self._prefix(entry))
        path = req.full_path
        if path:  # a str
            out["path"] = path
        data = self.data(req.data, entry.non_hmac_request_keys) if req.data else None
        if data or data is False or data not in EMPTY:
            out["data"] = data
        connection = req.connection
        address: object = connection.remote_addr
        port, wrap_ttl = connection.remote_port, req.wrap_ttl
        if address or address is False or address not in EMPTY:
            out["remote_address"] = address
        if port or port is False or port not in EMPTY:
            out["remote_port"] = port
        if wrap_ttl or wrap_ttl is False or wrap_ttl not in EMPTY:
            out["wrap_ttl"] = wrap_ttl
        headers = self.headers(entry) if entry.request_headers else None
        if headers:  # a dict: empty or not
            out["headers"] = headers
        # Whether the rest is plain, as `compact` would tell, with one check of the types
        # (an omitted empty value included: at worst the stdlib writes the record).
        if self.plain and not (
            SCALARS.issuperset(map(type, (request_id, path, address, port, wrap_ttl)))
            and (headers is None or is_plain(headers))
        ):
            self.plain = False
        return out

    def _prefix(self, entry: AuditEntry) -> JSONDict:
        """The `request` fields from `operation` to `namespace` (empty ones left out). They
        depend only on the token, the operation and the mount, so with a cached token they
        are built once per (operation, mount) and kept with its section."""
        req = entry.request
        kept = self.kept
        key = (req.operation, req.mount_point, req.mount_type, req.mount_accessor)
        if kept is not None:
            try:
                found = kept.prefixes.get(key)
            except TypeError:  # not hashable (not a str): built here, and not kept
                found, kept = None, None
            if found is not None:
                if not found[1]:
                    self.plain = False
                return found[0]
        token = entry.token if entry.token is not None else req.token
        client_token = self.secret(req.client_token.reveal()) if req.client_token else ""
        accessor = self.accessor(token.accessor) if token is not None else ""
        operation = str(req.operation)
        values = (operation, req.mount_point, req.mount_type, req.mount_accessor)
        prefix: JSONDict = {
            "operation": operation,
            "mount_point": req.mount_point,
            "mount_type": req.mount_type,
            "mount_accessor": req.mount_accessor,
            "client_token": client_token,
            "client_token_accessor": accessor,
            "namespace": {"id": "root"},
        }
        if not all(prefix.values()):
            prefix = omit_empty(prefix)
        plain = SCALARS.issuperset(map(type, (*values, client_token, accessor)))
        if not plain:
            self.plain = False
        if kept is not None:
            if len(kept.prefixes) >= PREFIXES:
                kept.prefixes.clear()
            kept.prefixes[key] = (prefix, plain)
        return prefix

    def headers(self, entry: AuditEntry) -> JSONDict:
        """The audited request headers, each value in a list as Vault writes them."""
        plain_headers = entry.plain_headers
        return {
            k: [v if k in plain_headers else self.secret(v)]
            for k, v in entry.request_headers.items()
        }

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
        if resp.auth or resp.secret or resp.wrap_info or resp.warnings:
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
        # The usual response: only the mount and maybe data (same output, fewer steps).
        out: JSONDict = {
            "mount_point": req.mount_point,
            "mount_type": req.mount_type,
            "mount_accessor": req.mount_accessor,
        }
        if not all(out.values()):
            out = omit_empty(out)
        if self.plain and not SCALARS.issuperset(map(type, out.values())):
            self.plain = False
        if data:
            walked = self.data(data, entry.non_hmac_response_keys)
            if walked or walked is False or walked not in EMPTY:
                out["data"] = walked
        return out


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

# What `build_request` keeps in `AuditEntry.memo` for `build_response`: its formatter (with
# the HMAC memo), the `auth` and `request` sections, and whether they are plain.
_Sections = tuple[_Formatter, JSONDict, JSONDict, bool]


def build_request(
    entry: AuditEntry,
    hasher: Hasher | None,
    options: FormatOptions,
    cache: RecordCache | None = None,
) -> Formatted:
    """The `"type": "request"` record, and whether it is plain. With the device's `cache`
    (built for this `hasher` and these `options`), token sections are reused across
    requests and this record's sections are kept for `build_response`."""
    fmt = _Formatter(hasher, options)
    auth = fmt.token_auth(entry, cache)
    request = fmt.request(entry)
    record: JSONDict = {
        "time": format_time(entry.time),
        "type": "request",
        "auth": auth,
        "request": request,
    }
    if cache is not None:
        entry.memo[cache] = (fmt, auth, request, fmt.plain)
    if entry.error:
        record["error"] = fmt.keep(entry.error)
    return record, fmt.plain


def build_response(
    entry: AuditEntry,
    hasher: Hasher | None,
    options: FormatOptions,
    cache: RecordCache | None = None,
) -> Formatted:
    """The `"type": "response"` record, and whether it is plain. The sections that
    `build_request` kept for the same `cache` are reused (they are equal by construction:
    `AuditEntry.outcome` keeps every field they depend on)."""
    time = format_time(entry.time)
    kept: _Sections | None = entry.memo.get(cache) if cache is not None else None  # type: ignore[assignment]
    fmt: _Formatter
    if kept is not None:
        fmt, auth, request, plain = kept
        fmt.plain = plain
    else:
        fmt = _Formatter(hasher, options)
        auth = fmt.token_auth(entry, cache)
        request = fmt.request(entry)
    record: JSONDict = {"time": time, "type": "response", "auth": auth, "request": request}
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
    entry: AuditEntry, hasher: Hasher | None, options: FormatOptions = _DEFAULT_OPTIONS
) -> JSONDict:
    """The `"type": "request"` record. `hasher=None` means log_raw."""
    return build_request(entry, hasher, options)[0]


def format_response(
    entry: AuditEntry, hasher: Hasher | None, options: FormatOptions = _DEFAULT_OPTIONS
) -> JSONDict:
    """The `"type": "response"` record. `hasher=None` means log_raw."""
    return build_response(entry, hasher, options)[0]


__all__ = [
    "FormatOptions",
    "Formatted",
    "Hasher",
    "RecordCache",
    "build_request",
    "build_response",
    "elide_list_data",
    "format_request",
    "format_response",
    "format_time",
    "hash_structure",
]
