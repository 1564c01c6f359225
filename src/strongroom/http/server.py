"""Strongroom's HTTP/1.1 server: asyncio protocols over httptools (llhttp), straight into
`StrongroomApp.serve_http`, with no ASGI messages in between.

Chosen by measurement (docs/performance.md): under the benchmark's load uvicorn's ASGI cycle
(scope and message dicts, `receive`/`send` coroutines, its proxy-header middleware) cost more
CPU per request than the whole `sys/health` handler. What the listeners need is small and
lives here: keep-alive and pipelining (answers in request order), chunked request bodies,
`Expect: 100-continue`, the request size limit (413 before the body is read), a header size
limit (431), Vault's `LIST` method, an idle timeout, write back-pressure, and a graceful stop.
TLS is the event loop's, so the SNI-callback certificate reload in cli/tls.py is unchanged.

Must not: know about Vault paths or tokens (StrongroomApp does).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import time
from collections import deque
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from typing import cast
from urllib.parse import unquote

import httptools

from strongroom.errors import RequestTooLarge
from strongroom.http.app import StrongroomApp, new_request_id
from strongroom.http.render import render_error
from strongroom.logical import Connection

_log = logging.getLogger("strongroom.http")

MAX_HEADER_BYTES = 1 << 20  # Go's http.DefaultMaxHeaderBytes
KEEP_ALIVE_TIMEOUT = 65.0
GRACEFUL_TIMEOUT = 5.0
MAX_PIPELINED = 16  # requests parsed ahead of their answers before reading pauses
_SWEEP_INTERVAL = 5.0
_LINGER = 1.0  # seconds to drain a refused request's remaining bytes before closing
_LARGE_BODY = 64 * 1024  # bodies above this are written apart from the head (no copy)

_LIST = b"LIST "
_FORWARDED_FOR = "x-forwarded-for"
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_JSON = b"Content-Type: application/json\r\n"
_NO_STORE = b"Cache-Control: no-store\r\n"


def _status_line(code: int) -> bytes:
    try:
        reason = HTTPStatus(code).phrase
    except ValueError:
        reason = f"status code {code}"  # what Go writes for a code it has no text for
    return f"HTTP/1.1 {code} {reason}\r\n".encode("latin-1")


_STATUS_LINES = {status.value: _status_line(status.value) for status in HTTPStatus}


class _Date:
    """The `Date` header line, formatted once per second."""

    __slots__ = ("_line", "_second")

    def __init__(self) -> None:
        self._second = -1
        self._line = b""

    def line(self) -> bytes:
        now = int(time.time())
        if now != self._second:
            self._second = now
            self._line = f"Date: {formatdate(now, usegmt=True)}\r\n".encode("latin-1")
        return self._line


_date = _Date()


def response_head(
    status: int, length: int, content_type: str, *, keep_alive: bool, http10: bool = False
) -> bytes:
    """Status line and headers of an answer (JSON unless `content_type` says otherwise)."""
    line = _STATUS_LINES.get(status) or _status_line(status)
    parts = [line]
    if length and status != 204:
        parts.append(_JSON if not content_type else f"Content-Type: {content_type}\r\n".encode())
    parts.append(_NO_STORE)
    parts.append(_date.line())
    if status != 204 and status >= 200:
        parts.append(b"Content-Length: %d\r\n" % length)
    if not keep_alive:
        parts.append(b"Connection: close\r\n")
    elif http10:
        parts.append(b"Connection: keep-alive\r\n")
    parts.append(b"\r\n")
    return b"".join(parts)


def rewrite_list(data: bytes) -> bytes | None:
    """`LIST /p?q HTTP/1.1...` -> `GET /p?q&list=true HTTP/1.1...` (llhttp does not know
    Vault's LIST, which Vault treats as GET with list=true); None when the request line is
    not complete yet."""
    end = data.find(b"\r\n")
    if end < 0:
        return None
    line = data[:end]
    parts = line.split(b" ")
    if len(parts) != 3:
        return data  # malformed: let the parser reject it
    target = parts[1]
    target += b"&list=true" if b"?" in target else b"?list=true"
    return b"GET " + target + b" " + parts[2] + data[end:]


class _Reject(Exception):
    """Stop parsing and answer with `status`, then close the connection."""

    def __init__(self, status: int, body: bytes, content_type: str) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.content_type = content_type


def _plain(status: int) -> _Reject:
    text = f"{status} {HTTPStatus(status).phrase}".encode()
    return _Reject(status, text, "text/plain; charset=utf-8")


@dataclass(slots=True)
class _Pending:
    """A parsed request waiting for (or getting) its answer."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    keep_alive: bool
    http10: bool
    reject: _Reject | None = None  # a refused request: answer this and close


class HttpConnection(asyncio.Protocol):
    """One client connection: parses requests and answers them in order."""

    def __init__(self, server: HttpServer) -> None:
        self._server = server
        self._app = server.app
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._connection = Connection(tls=server.tls)
        self._url = b""
        self._headers: dict[str, str] = {}
        self._header_bytes = 0
        self._body: list[bytes] = []
        self._body_size = 0
        self._queue: deque[_Pending] = deque()
        self._task: asyncio.Task[None] | None = None
        self._reading_paused = False
        self._writable: asyncio.Future[None] | None = None
        self._at_boundary = True
        self._held = b""
        self._discarding = False
        self.closing = False
        self.closed = False
        self.active = True  # seen since the last idle sweep
        self.idle_since = 0.0

    # --- transport callbacks ---

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it.
        self._transport = cast(asyncio.Transport, transport)
        peer = transport.get_extra_info("peername")
        if isinstance(peer, tuple) and len(peer) >= 2:
            self._connection = Connection(
                remote_addr=str(peer[0]), remote_port=int(peer[1]), tls=self._server.tls
            )
        self._server.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        # A request already admitted runs to its end (its effects may be half done
        # otherwise); its answer has nowhere to go.
        self.closed = True
        self._queue.clear()
        self._server.connections.discard(self)
        self._wake_writer()

    def pause_writing(self) -> None:
        if self._writable is None:
            self._writable = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        self._wake_writer()

    def _wake_writer(self) -> None:
        waiter, self._writable = self._writable, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def data_received(self, data: bytes) -> None:
        self.active = True
        if self._discarding:
            return
        if self._at_boundary and (self._held or data[:1] == b"L"):
            data = self._list_as_get(data)
            if not data:
                return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            pass  # the request before it is complete; switching protocols is declined
        except httptools.HttpParserCallbackError as exc:
            # httptools raises its own error and keeps the callback's as the context.
            cause = exc.__context__
            self._reject(cause if isinstance(cause, _Reject) else _plain(400))
            if not isinstance(cause, _Reject):
                _log.error("HTTP parser callback failed", exc_info=cause)
        except httptools.HttpParserError:
            self._reject(_plain(400))

    def _list_as_get(self, data: bytes) -> bytes:
        """Rewrite a `LIST` request line that starts this read (held until complete)."""
        data = self._held + data
        self._held = b""
        if data.startswith(_LIST):
            rewritten = rewrite_list(data)
            if rewritten is not None:
                return rewritten
            if len(data) > MAX_HEADER_BYTES:
                return data  # an absurd request line: let the parser reject it
            self._held = data
            return b""
        if len(data) < len(_LIST) and _LIST.startswith(data):
            self._held = data
            return b""
        return data

    # --- parser callbacks ---

    def on_message_begin(self) -> None:
        self._at_boundary = False
        self._url = b""
        self._headers = {}
        self._header_bytes = 0
        self._body = []
        self._body_size = 0

    def on_url(self, url: bytes) -> None:
        self._url += url
        self._header_bytes += len(url)
        if self._header_bytes > MAX_HEADER_BYTES:
            raise _plain(431)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_bytes += len(name) + len(value)
        if self._header_bytes > MAX_HEADER_BYTES:
            raise _plain(431)
        key = name.decode("latin-1").lower()
        headers = self._headers
        if key in headers:
            # A repeated header: the first line counts, as Go's Header.Get reads it, except
            # X-Forwarded-For, whose lines OpenBao reads as one comma-separated chain.
            if key == _FORWARDED_FOR:
                headers[key] = f"{headers[key]}, {value.decode('latin-1')}"
            return
        headers[key] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        limit = self._app.options.max_request_size
        declared = self._headers.get("content-length", "")
        if limit > 0 and declared.isdigit() and int(declared) > limit:
            raise self._too_large()
        if self._headers.get("expect", "").lower() == "100-continue" and self._transport:
            self._transport.write(_CONTINUE)

    def on_body(self, body: bytes) -> None:
        self._body_size += len(body)
        limit = self._app.options.max_request_size
        if 0 < limit < self._body_size:
            raise self._too_large()
        self._body.append(body)

    def on_message_complete(self) -> None:
        self._at_boundary = True
        parser = self._parser
        try:
            url = httptools.parse_url(self._url)
            raw_path = url.path.decode("utf-8")
        except (httptools.HttpParserInvalidURLError, UnicodeDecodeError):
            raise _plain(400) from None
        version = parser.get_http_version()
        self._queue.append(
            _Pending(
                method=parser.get_method().decode("ascii"),
                path=unquote(raw_path) if "%" in raw_path else raw_path,
                query=url.query.decode("latin-1") if url.query else "",
                headers=self._headers,
                body=b"".join(self._body) if len(self._body) != 1 else self._body[0],
                keep_alive=parser.should_keep_alive(),
                http10=version == "1.0",
            )
        )
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._answer_all())
        elif len(self._queue) >= MAX_PIPELINED and self._transport and not self._reading_paused:
            self._reading_paused = True
            self._transport.pause_reading()

    # --- answering ---

    def _too_large(self) -> _Reject:
        status, body = render_error(new_request_id(), RequestTooLarge())
        return _Reject(status, body, "")

    async def _answer_all(self) -> None:
        try:
            while self._queue and not self.closed:
                pending = self._queue.popleft()
                if pending.reject is not None:
                    self._reject_now(pending.reject)
                    return
                if self._reading_paused and len(self._queue) < MAX_PIPELINED // 2:
                    self._reading_paused = False
                    if self._transport is not None:
                        self._transport.resume_reading()
                status, body, content_type = await self._app.serve_http(
                    pending.method,
                    pending.path,
                    pending.query,
                    pending.headers,
                    pending.body,
                    self._connection,
                )
                keep_alive = pending.keep_alive and not self.closing
                if self._writable is not None:
                    await self._writable
                self._write(
                    status,
                    body,
                    content_type,
                    head=pending.method == "HEAD",
                    keep_alive=keep_alive,
                    http10=pending.http10,
                )
                if not keep_alive:
                    self._close()
                    return
        except Exception:  # pragma: no cover - serve_http answers errors itself
            _log.exception("HTTP connection failed")
            self._close()
        finally:
            self._task = None
            self.active = True
        if self.closing and not self._discarding:  # a refused request lingers instead
            self._close()

    def _write(
        self,
        status: int,
        body: bytes,
        content_type: str,
        *,
        head: bool,
        keep_alive: bool,
        http10: bool = False,
    ) -> None:
        transport = self._transport
        if transport is None or self.closed:
            return
        start = response_head(status, len(body), content_type, keep_alive=keep_alive, http10=http10)
        if head or status == 204 or not body:
            transport.write(start)
        elif len(body) > _LARGE_BODY:
            transport.writelines((start, body))
        else:
            transport.write(start + body)

    def _reject(self, reject: _Reject) -> None:
        """Answer a request that cannot be parsed or accepted, and close: what follows it on
        the connection cannot be told apart from its unread body."""
        self._discarding = True
        if self._task is not None:  # answer the requests before it first, in order
            self._queue.append(_Pending("", "", "", {}, b"", False, False, reject))
            return
        self._reject_now(reject)

    def _reject_now(self, reject: _Reject) -> None:
        self._write(reject.status, reject.body, reject.content_type, head=False, keep_alive=False)
        self._linger()

    def _linger(self) -> None:
        """Close after an answer sent while the client may still be sending: closing at once
        with unread bytes makes the kernel send a reset, and the client may lose the answer.
        So stop writing, read and drop what comes for a moment, then close (as Go does)."""
        transport = self._transport
        self.closing = True
        self._discarding = True
        if transport is None or transport.is_closing():
            return
        if transport.can_write_eof():
            transport.write_eof()
        asyncio.get_running_loop().call_later(_LINGER, self._close)

    def _close(self) -> None:
        self.closing = True
        if self._transport is not None and not self._transport.is_closing():
            self._transport.close()

    # --- used by the server ---

    @property
    def busy(self) -> bool:
        return self._task is not None or bool(self._queue)

    def shutdown(self) -> None:
        """Close once the request in progress (if any) is answered."""
        self.closing = True
        if not self.busy:
            self._close()

    def abort(self) -> None:
        if self._transport is not None:
            self._transport.abort()


class HttpServer:
    """Serves one listening socket with `app` until `close`."""

    def __init__(
        self,
        app: StrongroomApp,
        *,
        keep_alive_timeout: float = KEEP_ALIVE_TIMEOUT,
        sweep_interval: float = _SWEEP_INTERVAL,
    ) -> None:
        self.app = app
        self.tls = app.options.tls
        self.keep_alive_timeout = keep_alive_timeout
        self.sweep_interval = sweep_interval
        self.connections: set[HttpConnection] = set()
        self._server: asyncio.AbstractServer | None = None
        self._sweeper: asyncio.Task[None] | None = None

    async def start(self, sock: socket.socket, ssl_context: ssl.SSLContext | None) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: HttpConnection(self), sock=sock, ssl=ssl_context, backlog=1024
        )
        self._sweeper = loop.create_task(self._sweep_idle())

    async def _sweep_idle(self) -> None:
        """Close connections idle for longer than the keep-alive timeout (checked every few
        seconds, so that requests pay nothing for it)."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.sweep_interval)
            now = loop.time()
            for connection in list(self.connections):
                if connection.active or connection.busy:
                    connection.active = False
                    connection.idle_since = now
                elif now - connection.idle_since >= self.keep_alive_timeout:
                    connection.shutdown()

    async def close(self, grace: float = GRACEFUL_TIMEOUT) -> None:
        """Stop accepting, let requests in progress finish (for up to `grace` seconds), then
        close every connection."""
        if self._sweeper is not None:
            self._sweeper.cancel()
        if self._server is not None:
            self._server.close()
        for connection in list(self.connections):
            connection.shutdown()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        while self.connections and loop.time() < deadline:
            await asyncio.sleep(0.05)
        for connection in list(self.connections):
            connection.abort()
        if self._server is not None:
            try:
                await asyncio.wait_for(self._server.wait_closed(), grace)
            except TimeoutError:
                pass


__all__ = ["HttpConnection", "HttpServer", "response_head", "rewrite_list"]
