"""The ASGI application: HTTP <-> logical translation. The only HTTP-aware code.

Every `/v1/` call becomes one `logical.Request` for the core's pipeline, except the handful of
unauthenticated `sys/` endpoints that must answer while sealed (http/sys_unauth.py).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl

import orjson

from strongroom.core import Core, handle
from strongroom.durations import parse_duration
from strongroom.errors import (
    InvalidRequest,
    NotFound,
    RequestTooLarge,
    UnsupportedMediaType,
    UnsupportedOperation,
)
from strongroom.http.forwarded import HEADER as FORWARDED_FOR
from strongroom.http.forwarded import ForwardedFor
from strongroom.http.options import ListenerOptions
from strongroom.http.render import JSON_HEADERS, dumps, render_error, render_response
from strongroom.http.sys_unauth import handlers
from strongroom.logical import Connection, Operation, Request
from strongroom.sensitive import SecretValue
from strongroom.types import JSONDict

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_log = logging.getLogger("strongroom.http")

_OPERATIONS = {
    "GET": Operation.READ,
    "LIST": Operation.LIST,
    "POST": Operation.UPDATE,
    "PUT": Operation.UPDATE,
    "PATCH": Operation.PATCH,
    "DELETE": Operation.DELETE,
}


# The variant nibble of an RFC 4122 UUID: its two high bits are 10.
_VARIANT = {digit: f"{int(digit, 16) & 0x3 | 0x8:x}" for digit in "0123456789abcdef"}


class _RandomHex:
    """Random hex digits read from the OS 4 KiB at a time: one `getrandom` call per 256
    request ids instead of one each. Emptied in a forked child so ids never repeat."""

    __slots__ = ("_digits", "_next")

    def __init__(self) -> None:
        self._digits = ""
        self._next = 0

    def take32(self) -> str:
        start = self._next
        if start >= len(self._digits):
            self._digits, start = os.urandom(4096).hex(), 0
        self._next = start + 32
        return self._digits[start : start + 32]

    def reset(self) -> None:
        self._digits, self._next = "", 0


_random_hex = _RandomHex()
os.register_at_fork(after_in_child=_random_hex.reset)


def new_request_id() -> str:
    """A random (version 4) UUID in its canonical text form, as `str(uuid.uuid4())` gives,
    for a fraction of the cost (no UUID object, no integer arithmetic, pooled randomness)."""
    digits = _random_hex.take32()
    return (
        f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-"
        f"{_VARIANT[digits[16]]}{digits[17:20]}-{digits[20:]}"
    )


class StrongroomApp:
    """ASGI app for one listener.

    `forwarded_for`: the listener's X-Forwarded-For settings, None when it has none (then
    the TCP peer is the client, with no per-request cost).
    """

    def __init__(
        self,
        core: Core,
        options: ListenerOptions | None = None,
        forwarded_for: ForwardedFor | None = None,
    ) -> None:
        self.core = core
        self.options = options or ListenerOptions()
        self.forwarded_for = forwarded_for
        self._unauth = handlers(self.options)

    async def serve_http(
        self,
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: bytes,
        connection: Connection,
    ) -> tuple[int, bytes, str]:
        """Answer one HTTP request: (status, body, content type, "" meaning JSON). `path` is
        percent-decoded, `query` is the raw query string, header names are lower case. Never
        raises: errors become Vault's `{"errors": [...]}` bodies."""
        request_id = new_request_id()
        try:
            if self.forwarded_for is not None:
                # vault-compat: OpenBao wraps the whole listener handler, sys/health included.
                connection = _forwarded(self.forwarded_for, headers, connection)
            return await self._dispatch(method, path, query, headers, body, connection, request_id)
        except Exception as exc:
            status, payload = render_error(request_id, exc)
            return status, payload, ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI interface (in-process clients and tests; listeners use http/server.py)."""
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        try:
            body = await _read_body(receive, self.options.max_request_size)
        except RequestTooLarge as exc:
            status, payload = render_error(new_request_id(), exc)
            content_type = ""
        else:
            headers = _asgi_headers(scope["headers"])
            client = scope.get("client") or ("", 0)
            connection = Connection(
                remote_addr=client[0], remote_port=client[1], tls=self.options.tls
            )
            query = scope["query_string"].decode("latin-1")
            status, payload, content_type = await self.serve_http(
                scope["method"], scope["path"], query, headers, body, connection
            )
        await _respond(
            send, status, payload, head=scope["method"] == "HEAD", content_type=content_type
        )

    async def _dispatch(
        self,
        method: str,
        raw_path: str,
        query_string: str,
        headers: dict[str, str],
        body: bytes,
        connection: Connection,
        request_id: str,
    ) -> tuple[int, bytes, str]:
        if not raw_path.startswith("/v1/"):
            raise NotFound()
        path = raw_path[4:]
        query = dict(parse_qsl(query_string, keep_blank_values=True)) if query_string else {}
        unauth = self._unauth.get(path)
        if unauth is not None:
            data = _decode_json(body)
            status, result = await unauth(self.core, method, query, data)
            return status, b"" if result is None else dumps(result), ""
        request = self._logical_request(method, path, query, headers, body, connection, request_id)
        if (
            self.options.unauthenticated_metrics_access
            and path == "sys/metrics"
            and request.operation is Operation.READ
        ):
            # vault-compat: the listener's telemetry { unauthenticated_metrics_access = true }
            request = replace(request, client_token=None, unauthenticated=True)
        response = await handle(self.core, request)
        is_read = request.operation in (Operation.READ, Operation.LIST)
        return render_response(request_id, response, is_read=is_read)

    def _logical_request(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
        connection: Connection,
        request_id: str,
    ) -> Request:
        operation = _OPERATIONS.get(method)
        if operation is None:
            raise UnsupportedOperation()
        data: JSONDict
        if operation is Operation.READ:
            if query.get("help", "") not in ("", "0", "false"):
                operation = Operation.HELP
            elif query.pop("list", "") in ("true", "1", "t", "True", "TRUE"):
                operation = Operation.LIST
            query.pop("help", None)
            data = dict(query)
        elif operation is Operation.LIST:
            query.pop("list", None)
            data = dict(query)
        else:
            if operation is Operation.PATCH:
                _check_patch_content_type(headers)
            data = _decode_json(body)
        if operation is Operation.LIST and not path.endswith("/"):
            path += "/"
        wrap_ttl = _wrap_ttl(headers.get("x-vault-wrap-ttl", ""))
        return Request(
            operation=operation,
            path=path,
            id=request_id,
            data=data,
            client_token=_token(headers),
            headers=headers,
            connection=connection,
            wrap_ttl=wrap_ttl,
        )


def _forwarded(
    forwarded_for: ForwardedFor, headers: dict[str, str], connection: Connection
) -> Connection:
    value = headers.get(FORWARDED_FOR)
    return forwarded_for.resolve(() if value is None else (value,), connection)


def _asgi_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Lower-case names; a repeated X-Forwarded-For is joined with commas (RFC 9110 5.3, and
    OpenBao reads every line), any other repeated header keeps its last value."""
    headers: dict[str, str] = {}
    for name_bytes, value_bytes in raw:
        name, value = name_bytes.decode("latin-1").lower(), value_bytes.decode("latin-1")
        if name == FORWARDED_FOR and name in headers:
            value = f"{headers[name]}, {value}"
        headers[name] = value
    return headers


def _wrap_ttl(value: str) -> int:
    """Seconds from `X-Vault-Wrap-TTL` ("60s", "5m" or 300); 400 when it is not a duration."""
    if not value:
        return 0
    try:
        ttl = parse_duration(value)
    except ValueError:
        raise InvalidRequest("error parsing wrap TTL") from None
    if ttl < 0:
        raise InvalidRequest("requested wrap ttl cannot be negative")
    return ttl


def _token(headers: dict[str, str]) -> SecretValue | None:
    token = headers.get("x-vault-token")
    if not token:
        authorization = headers.get("authorization", "")
        if authorization[:7].lower() == "bearer ":
            token = authorization[7:].strip()
    return SecretValue(token) if token else None


# vault-compat: PATCH must carry a JSON merge patch (RFC 7386)
_MERGE_PATCH = "application/merge-patch+json"


def _check_patch_content_type(headers: dict[str, str]) -> None:
    raw = headers.get("content-type", "")
    media = raw.split(";", 1)[0].strip().lower()
    if not media:
        raise InvalidRequest("mime: no media type")
    if media != _MERGE_PATCH:
        raise UnsupportedMediaType(
            f"PATCH requires Content-Type of {_MERGE_PATCH}, provided {media}"
        )


def _decode_json(body: bytes) -> JSONDict:
    if not body.strip():
        return {}
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        # vault-compat: JSON decode error prefix
        raise InvalidRequest(f"failed to decode JSON input: {exc.msg}") from None
    if decoded is None:
        return {}  # Go clients send `null` for an empty map
    if not isinstance(decoded, dict):
        raise InvalidRequest("failed to decode JSON input: the body must be a JSON object")
    return decoded


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if 0 < limit < size:
            raise RequestTooLarge()
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _respond(
    send: Send, status: int, body: bytes, *, head: bool, content_type: str = ""
) -> None:
    if not body:
        headers = [(b"cache-control", b"no-store")]
    elif content_type:
        headers = [(b"content-type", content_type.encode()), (b"cache-control", b"no-store")]
    else:
        headers = list(JSON_HEADERS)
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


__all__ = ["StrongroomApp"]
