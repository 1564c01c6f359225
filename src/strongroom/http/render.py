"""Rendering: logical responses to Vault's JSON envelope, errors to `{"errors": [...]}`."""

from __future__ import annotations

import logging

import orjson

from strongroom.errors import ERR_INTERNAL, StrongroomError
from strongroom.logical import Auth, Response, WrapInfo
from strongroom.types import JSON, JSONDict

_log = logging.getLogger("strongroom.http")

JSON_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-type", b"application/json"),
    (b"cache-control", b"no-store"),
]


def dumps(body: JSON) -> bytes:
    return orjson.dumps(body)


def auth_json(auth: Auth) -> JSONDict:
    body: JSONDict = {
        "client_token": auth.client_token,
        "accessor": auth.accessor,
        "policies": list(auth.policies),
        "token_policies": list(auth.token_policies),
    }
    if auth.identity_policies:
        body["identity_policies"] = list(auth.identity_policies)
    body.update(
        {
            "metadata": dict(auth.metadata) or None,
            "lease_duration": auth.lease_duration,
            "renewable": auth.renewable,
            "entity_id": auth.entity_id,
            "token_type": auth.token_type,
            "orphan": auth.orphan,
            "mfa_requirement": None,
            "num_uses": auth.num_uses,
        }
    )
    return body


def _wrap_json(wrap: WrapInfo) -> JSONDict:
    body: JSONDict = {
        "token": wrap.token,
        "accessor": wrap.accessor,
        "ttl": wrap.ttl,
        "creation_time": wrap.creation_time,
        "creation_path": wrap.creation_path,
        "wrapped_accessor": wrap.wrapped_accessor,
    }
    return body


def envelope(request_id: str, response: Response) -> JSONDict:
    """Vault's response envelope."""
    secret = response.secret
    body: JSONDict = {}
    if response.top_level_data and response.data:
        body.update(response.data)
    wrap = response.wrap_info
    body.update(
        {
            "request_id": "" if wrap is not None else request_id,
            "lease_id": secret.lease_id if secret else "",
            "renewable": secret.renewable if secret else False,
            "lease_duration": secret.ttl if secret else 0,
            "data": response.data,
            "wrap_info": _wrap_json(wrap) if wrap is not None else None,
            "warnings": list(response.warnings) or None,
            "auth": auth_json(response.auth) if response.auth else None,
        }
    )
    return body


def render_response(
    request_id: str, response: Response | None, *, is_read: bool
) -> tuple[int, bytes, str]:
    """(status, body, content type) for a logical response ("" content type: JSON). None
    means 404 for reads and 204 for writes."""
    status, body = _render(request_id, response, is_read=is_read)
    if response is not None and response.body is not None:
        return status, response.body, response.content_type
    return status, body, ""


def _render(request_id: str, response: Response | None, *, is_read: bool) -> tuple[int, bytes]:
    if response is None:
        return (404, dumps({"errors": []})) if is_read else (204, b"")
    if response.body is not None:
        return response.status or 200, response.body
    if response.raw:
        return response.status or 200, dumps(response.data)
    empty = (
        response.data is None
        and response.auth is None
        and response.secret is None
        and response.wrap_info is None
        and not response.warnings
    )
    if empty:
        return (404, dumps({"errors": []})) if is_read else (response.status or 204, b"")
    return response.status or 200, dumps(envelope(request_id, response))


def render_error(request_id: str, exc: BaseException) -> tuple[int, bytes]:
    """(status, body) for an exception; unexpected ones become a generic 500."""
    if isinstance(exc, StrongroomError) and exc.status != 500:
        return exc.status, dumps({"errors": exc.messages})
    _log.error("request %s failed: %s", request_id, type(exc).__name__, exc_info=exc)
    return 500, dumps({"errors": [ERR_INTERNAL]})


__all__ = ["JSON_HEADERS", "dumps", "envelope", "render_error", "render_response"]
