"""The HTTP/1.1 server (http/server.py) on a real loopback socket, spoken to byte by byte.

A real Core (in-memory storage, initialised and unsealed) answers behind it, so what is
checked is what a client sees on the wire: keep-alive, pipelining in order, Vault's LIST
method, size limits, Expect: 100-continue, HEAD, the idle timeout and a graceful stop.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest

from strongroom.builtins import catalog
from strongroom.cli.listeners import bind
from strongroom.core import Core
from strongroom.http import ListenerOptions, StrongroomApp
from strongroom.http.server import HttpServer, response_head
from strongroom.seal import SealConfig
from strongroom.storage import InmemStorage


@dataclass
class Running:
    server: HttpServer
    port: int
    token: str
    core: Core
    writers: list[asyncio.StreamWriter] = field(default_factory=list)

    async def open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writers.append(writer)
        return reader, writer


@asynccontextmanager
async def serving(
    options: ListenerOptions | None = None, **kwargs: float
) -> AsyncIterator[Running]:
    core = Core(InmemStorage(), catalog=catalog)
    result = await core.initialize(SealConfig(secret_shares=1, secret_threshold=1))
    await core.submit_unseal_share(result.shares[0])
    server = HttpServer(StrongroomApp(core, options), **kwargs)
    sock = bind("127.0.0.1:0")
    await server.start(sock, None)
    running = Running(server, sock.getsockname()[1], result.root_token, core)
    try:
        yield running
    finally:
        for writer in running.writers:
            writer.close()
            try:
                await writer.wait_closed()
            except ConnectionError:
                pass
        await server.close(grace=1)
        await core.shutdown()


@pytest.fixture
async def running() -> AsyncIterator[Running]:
    async with serving() as started:
        yield started


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = await asyncio.wait_for(reader.readexactly(length), 5) if length else b""
    return status, headers, body


def _get(path: str, token: str = "", extra: str = "") -> bytes:
    auth = f"X-Vault-Token: {token}\r\n" if token else ""
    return f"GET {path} HTTP/1.1\r\nHost: t\r\n{auth}{extra}\r\n".encode()


def _put(path: str, token: str, body: bytes, extra: str = "") -> bytes:
    return (
        f"PUT {path} HTTP/1.1\r\nHost: t\r\nX-Vault-Token: {token}\r\n"
        f"Content-Length: {len(body)}\r\n{extra}\r\n"
    ).encode() + body


async def test_keep_alive_answers_several_requests_on_one_connection(running: Running) -> None:
    reader, writer = await running.open()
    for _ in range(3):
        writer.write(_get("/v1/sys/health"))
        status, headers, body = await _read_response(reader)
        assert status == 200
        assert headers["content-type"] == "application/json"
        assert headers["cache-control"] == "no-store"
        assert "date" in headers
        assert json.loads(body)["sealed"] is False


async def test_pipelined_requests_are_answered_in_order(running: Running) -> None:
    reader, writer = await running.open()
    token = running.token
    writer.write(
        _put("/v1/secret-missing/x", token, b"{}")
        + _get("/v1/sys/health")
        + _get("/v1/auth/token/lookup-self", token)
    )
    first = await _read_response(reader)
    second = await _read_response(reader)
    third = await _read_response(reader)
    assert first[0] == 404  # no such mount
    assert second[0] == 200 and b'"initialized"' in second[2]
    assert third[0] == 200 and json.loads(third[2])["data"]["policies"] == ["root"]


async def test_a_repeated_header_counts_by_its_first_line(running: Running) -> None:
    # As Go's Header.Get reads it (OpenBao: the first X-Vault-Token decides).
    reader, writer = await running.open()
    writer.write(_get("/v1/auth/token/lookup-self", running.token, "X-Vault-Token: bogus\r\n"))
    assert (await _read_response(reader))[0] == 200
    writer.write(_get("/v1/auth/token/lookup-self", "bogus", f"X-Vault-Token: {running.token}\r\n"))
    assert (await _read_response(reader))[0] == 403


async def test_list_method_split_across_reads(running: Running) -> None:
    reader, writer = await running.open()
    raw = b"LIST /v1/auth/token/accessors HTTP/1.1\r\nHost: t\r\nX-Vault-Token: "
    raw += running.token.encode() + b"\r\n\r\n"
    for piece in (raw[:1], raw[1:3], raw[3:20], raw[20:]):
        writer.write(piece)
        await writer.drain()
        await asyncio.sleep(0.01)
    status, _, body = await _read_response(reader)
    assert status == 200
    assert len(json.loads(body)["data"]["keys"]) == 1


async def test_percent_encoded_path_and_query(running: Running) -> None:
    reader, writer = await running.open()
    token = running.token
    writer.write(_put("/v1/sys/mounts/kv%20one", token, b'{"type":"kv"}'))
    assert (await _read_response(reader))[0] == 204
    writer.write(_put("/v1/kv%20one/a%2Fb", token, b'{"v":"1"}'))
    assert (await _read_response(reader))[0] == 204
    writer.write(_get("/v1/kv%20one/?list=true", token))
    status, _, body = await _read_response(reader)
    assert status == 200
    assert json.loads(body)["data"]["keys"] == ["a/"]


async def test_head_gets_headers_without_a_body(running: Running) -> None:
    reader, writer = await running.open()
    writer.write(b"HEAD /v1/sys/health HTTP/1.1\r\nHost: t\r\n\r\n")
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"Content-Length: " in head
    # The next answer starts right after the head: no body bytes in between.
    writer.write(_get("/v1/sys/health"))
    status, _, _ = await _read_response(reader)
    assert status == 200


async def test_declared_body_over_the_limit_is_refused_before_it_is_read() -> None:
    async with serving(ListenerOptions(max_request_size=64)) as started:
        reader, writer = await started.open()
        writer.write(b"PUT /v1/sys/mounts/big HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n")
        status, headers, body = await _read_response(reader)
        assert status == 413
        assert headers["connection"] == "close"
        assert json.loads(body)["errors"]
        assert await asyncio.wait_for(reader.read(), 5) == b""  # closed
        assert started.core.router.match("big/x") is None  # nothing was mounted


async def test_chunked_body_over_the_limit_is_refused() -> None:
    async with serving(ListenerOptions(max_request_size=64)) as started:
        reader, writer = await started.open()
        chunk = b"x" * 100
        writer.write(
            b"PUT /v1/sys/mounts/big HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
            + b"%x\r\n" % len(chunk)
            + chunk
            + b"\r\n0\r\n\r\n"
        )
        status, _, _ = await _read_response(reader)
        assert status == 413


async def test_chunked_body_within_the_limit_is_read_whole(running: Running) -> None:
    reader, writer = await running.open()
    body = b'{"type":"kv"}'
    writer.write(
        b"PUT /v1/sys/mounts/chunked HTTP/1.1\r\nHost: t\r\nX-Vault-Token: "
        + running.token.encode()
        + b"\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"%x\r\n" % 5
        + body[:5]
        + b"\r\n"
        + b"%x\r\n" % (len(body) - 5)
        + body[5:]
        + b"\r\n0\r\n\r\n"
    )
    assert (await _read_response(reader))[0] == 204
    writer.write(_get("/v1/sys/mounts/chunked/tune", running.token))
    assert (await _read_response(reader))[0] == 200


async def test_expect_continue_gets_an_interim_answer(running: Running) -> None:
    reader, writer = await running.open()
    body = b'{"type":"kv"}'
    writer.write(
        b"PUT /v1/sys/mounts/cont HTTP/1.1\r\nHost: t\r\nX-Vault-Token: "
        + running.token.encode()
        + b"\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body)
    )
    interim = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
    writer.write(body)
    assert (await _read_response(reader))[0] == 204


async def test_oversized_headers_get_431(running: Running) -> None:
    reader, writer = await running.open()
    big = "a" * (1 << 16)
    writer.write(_get("/v1/sys/health", extra="".join(f"X-{i}: {big}\r\n" for i in range(20))))
    status, _, _ = await _read_response(reader)
    assert status == 431


async def test_malformed_request_gets_400_and_close(running: Running) -> None:
    reader, writer = await running.open()
    writer.write(b"GET /v1/sys/health HTTP/1.1\r\nHost t\r\n\r\n")
    status, headers, _ = await _read_response(reader)
    assert status == 400
    assert headers["connection"] == "close"
    assert await asyncio.wait_for(reader.read(), 5) == b""


async def test_a_malformed_request_is_answered_after_the_ones_before_it(
    running: Running,
) -> None:
    reader, writer = await running.open()
    writer.write(_get("/v1/sys/health") + b"GET /v1/sys/health HTTP/1.1\r\nHost t\r\n\r\n")
    first = await _read_response(reader)
    second = await _read_response(reader)
    assert (first[0], second[0]) == (200, 400)
    assert await asyncio.wait_for(reader.read(), 5) == b""


async def test_connection_close_and_http10(running: Running) -> None:
    reader, writer = await running.open()
    writer.write(_get("/v1/sys/health", extra="Connection: close\r\n"))
    status, headers, _ = await _read_response(reader)
    assert (status, headers["connection"]) == (200, "close")
    assert await asyncio.wait_for(reader.read(), 5) == b""
    reader, writer = await running.open()
    writer.write(b"GET /v1/sys/health HTTP/1.0\r\n\r\n")
    status, _, _ = await _read_response(reader)
    assert status == 200
    assert await asyncio.wait_for(reader.read(), 5) == b""  # 1.0 without keep-alive
    reader, writer = await running.open()
    writer.write(b"GET /v1/sys/health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    status, headers, _ = await _read_response(reader)
    assert (status, headers["connection"]) == (200, "keep-alive")


async def test_idle_connections_are_closed_after_the_keep_alive_timeout() -> None:
    async with serving(keep_alive_timeout=0.2, sweep_interval=0.1) as started:
        reader, writer = await started.open()
        writer.write(_get("/v1/sys/health"))
        assert (await _read_response(reader))[0] == 200
        assert await asyncio.wait_for(reader.read(), 5) == b""
        assert not started.server.connections


class _HeldApp:
    """The app, answering only once `release` is set (connections take it when they open)."""

    def __init__(self, app: StrongroomApp, release: asyncio.Event) -> None:
        self.app, self.options, self.release = app, app.options, release

    async def serve_http(self, *args: object) -> tuple[int, bytes, str]:
        await self.release.wait()
        return await self.app.serve_http(*args)  # type: ignore[arg-type]


async def test_close_lets_the_request_in_progress_finish(running: Running) -> None:
    release = asyncio.Event()
    running.server.app = _HeldApp(running.server.app, release)  # type: ignore[assignment]
    reader, writer = await running.open()
    idle_reader, _ = await running.open()
    writer.write(_get("/v1/sys/health"))
    await asyncio.sleep(0.05)
    closing = asyncio.create_task(running.server.close(grace=5))
    await asyncio.sleep(0.05)
    assert await asyncio.wait_for(idle_reader.read(), 5) == b""  # idle: closed at once
    assert not closing.done()
    release.set()
    status, headers, _ = await _read_response(reader)
    assert (status, headers["connection"]) == (200, "close")
    await asyncio.wait_for(closing, 5)
    assert not running.server.connections


def test_response_head_for_an_unknown_status_and_204() -> None:
    head = response_head(472, 2, "", keep_alive=True)
    assert head.startswith(b"HTTP/1.1 472 status code 472\r\n")
    assert b"Content-Length: 2\r\n" in head
    no_content = response_head(204, 0, "", keep_alive=True)
    assert b"Content-Length" not in no_content
    assert b"Content-Type" not in no_content
