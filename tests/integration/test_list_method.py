"""Vault's `LIST` HTTP method on a real listener (httptools does not know it natively)."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import hvac
import pytest

from strongroom.http.server import rewrite_list

pytestmark = pytest.mark.slow


def test_rewrite_list_request_line() -> None:
    assert rewrite_list(b"LIST /v1/a/ HTTP/1.1\r\nHost: x\r\n\r\n") == (
        b"GET /v1/a/?list=true HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    assert rewrite_list(b"LIST /v1/a?x=1 HTTP/1.1\r\n") == b"GET /v1/a?x=1&list=true HTTP/1.1\r\n"
    assert rewrite_list(b"LIST /v1/a HTTP/1.1") is None  # request line not complete yet


def _raw(address: str, payload: bytes) -> bytes:
    host, port = address.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        for part in (payload[:2], payload[2:]):  # split inside the method on purpose
            sock.sendall(part)
        chunks = []
        while chunk := sock.recv(65536):  # Connection: close, so read to the end
            chunks.append(chunk)
        return b"".join(chunks)


def test_list_method_over_a_real_listener(server_factory: Any) -> None:
    server = server_factory()
    with httpx.Client(base_url=server.address, timeout=5) as client:
        init = client.put("/v1/sys/init", json={"secret_shares": 1, "secret_threshold": 1}).json()
        client.put("/v1/sys/unseal", json={"key": init["keys"][0]})
    token = init["root_token"]
    vault = hvac.Client(url=server.address, token=token)
    listed = vault.adapter.list("/v1/auth/token/accessors")
    assert len(listed["data"]["keys"]) == 1
    reply = _raw(
        server.address,
        b"LIST /v1/auth/token/accessors HTTP/1.1\r\nHost: t\r\nX-Vault-Token: "
        + token.encode()
        + b"\r\nConnection: close\r\n\r\n",
    )
    assert reply.startswith(b"HTTP/1.1 200")
    assert b'"keys"' in reply
