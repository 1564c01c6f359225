"""The listener's X-Forwarded-For settings (http/forwarded.py), as OpenBao applies them.

First the pure decision (ForwardedFor.resolve), then a real listener on a loopback socket
with a real Core behind it: the address the proxy reports is what the audit log records and
what a token's bound CIDRs are checked against, sys/health included.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from strongroom.builtins import catalog
from strongroom.cli.listeners import bind, forwarded_for
from strongroom.cli.server import check_supported
from strongroom.config import ListenerConfig, ServerConfig, StorageConfig
from strongroom.core import Core, CoreOptions
from strongroom.errors import ConfigError, InvalidRequest
from strongroom.http import StrongroomApp
from strongroom.http.forwarded import (
    ERR_HOP_SKIPS,
    ERR_NOT_AUTHORIZED,
    ERR_NOT_PRESENT,
    ForwardedFor,
)
from strongroom.http.server import HttpServer
from strongroom.logical import Connection
from strongroom.seal import SealConfig
from strongroom.storage import InmemStorage

PEER = Connection(remote_addr="127.0.0.1", remote_port=40000)
LOOPBACK = ForwardedFor.parse(["127.0.0.0/8", "::1"])


def _message(exc: pytest.ExceptionInfo[InvalidRequest]) -> str:
    return exc.value.messages[0]


# --- the decision ---


@pytest.mark.parametrize(
    ("lines", "hop_skips", "expected"),
    [
        (("203.0.113.7",), 0, "203.0.113.7"),
        (("203.0.113.7, 10.0.0.2",), 0, "10.0.0.2"),
        (("203.0.113.7, 10.0.0.2",), 1, "203.0.113.7"),
        (("  203.0.113.7 ,10.0.0.2  ",), 1, "203.0.113.7"),
        (("203.0.113.7", "10.0.0.2, 10.0.0.3"), 2, "203.0.113.7"),
        (("2001:db8::7, 10.0.0.2",), 1, "2001:db8::7"),
        (("",), 0, ""),  # present but empty: OpenBao serves it with no address
        (("garbage",), 0, "garbage"),  # taken as written, as OpenBao does
    ],
)
def test_the_client_is_hop_skips_from_the_end(
    lines: tuple[str, ...], hop_skips: int, expected: str
) -> None:
    policy = ForwardedFor.parse(["127.0.0.1"], hop_skips=hop_skips)
    resolved = policy.resolve(lines, PEER)
    assert resolved.remote_addr == expected
    assert resolved.remote_port == PEER.remote_port  # the port stays the TCP peer's


def test_a_bracketed_hop_leaves_no_address_and_no_port() -> None:
    # OpenBao joins host and port and cannot split them again: neither reaches the request.
    resolved = LOOPBACK.resolve(("[2001:db8::1]",), PEER)
    assert (resolved.remote_addr, resolved.remote_port) == ("", 0)


def test_too_many_hop_skips_is_a_400_counting_header_lines() -> None:
    policy = ForwardedFor.parse(["127.0.0.1"], hop_skips=3)
    with pytest.raises(InvalidRequest) as one:
        policy.resolve(("203.0.113.7, 10.0.0.2",), PEER)
    assert _message(one) == ERR_HOP_SKIPS.format(hops=3, lines=1)
    assert _message(one) == (
        "malformed x-forwarded-for configuration or request, hops to skip (3) would skip"
        " before earliest chain link (chain length 1)"
    )
    with pytest.raises(InvalidRequest) as two:
        policy.resolve(("203.0.113.7", "10.0.0.2"), PEER)
    assert "(chain length 2)" in _message(two)


def test_a_missing_header_is_served_with_the_peer_unless_rejected() -> None:
    assert LOOPBACK.resolve((), PEER) is PEER
    strict = ForwardedFor.parse(["127.0.0.1"], reject_not_present=True)
    with pytest.raises(InvalidRequest) as refused:
        strict.resolve((), PEER)
    assert _message(refused) == ERR_NOT_PRESENT
    assert refused.value.status == 400


def test_an_unauthorized_peer_is_ignored_unless_rejected() -> None:
    lenient = ForwardedFor.parse(["10.0.0.0/8"])
    assert lenient.resolve(("203.0.113.7",), PEER) is PEER
    strict = ForwardedFor.parse(["10.0.0.0/8"], reject_not_authorized=True)
    with pytest.raises(InvalidRequest) as refused:
        strict.resolve(("203.0.113.7",), PEER)
    assert _message(refused) == ERR_NOT_AUTHORIZED


@pytest.mark.parametrize(
    ("peer", "authorized"),
    [
        ("::1", True),
        ("2001:db8::5", True),
        ("2001:db9::5", False),
        ("::ffff:10.1.2.3", True),  # a dual-stack socket's IPv4 peer, as Go sees it
        ("10.1.2.3", True),
        ("fe80::1%eth0", False),
    ],
)
def test_ipv6_and_mapped_peers(peer: str, authorized: bool) -> None:
    policy = ForwardedFor.parse(["::1", "2001:db8::/32", "10.0.0.0/8"])
    assert policy.is_authorized(peer) is authorized
    resolved = policy.resolve(("203.0.113.7",), Connection(remote_addr=peer, remote_port=1))
    assert resolved.remote_addr == ("203.0.113.7" if authorized else peer)


def test_a_peer_that_is_not_an_ip_counts_as_no_header() -> None:
    nowhere = Connection(remote_addr="", remote_port=0)
    assert LOOPBACK.resolve(("203.0.113.7",), nowhere) is nowhere
    strict = ForwardedFor.parse(["127.0.0.1"], reject_not_present=True)
    with pytest.raises(InvalidRequest) as refused:
        strict.resolve(("203.0.113.7",), nowhere)
    assert _message(refused).startswith("error parsing client address")


def test_parse_refuses_bad_settings() -> None:
    with pytest.raises(ValueError):
        ForwardedFor.parse(["nope"])
    with pytest.raises(ValueError):
        ForwardedFor.parse(["127.0.0.1"], hop_skips=-1)


# --- from the config ---


def test_a_listener_without_authorized_addrs_has_no_forwarded_for() -> None:
    plain = ListenerConfig(type="tcp", x_forwarded_for_hop_skips=2)
    assert forwarded_for(plain) is None
    configured = ListenerConfig(
        type="tcp",
        x_forwarded_for_authorized_addrs=("10.0.0.0/8", " 192.0.2.1"),
        x_forwarded_for_hop_skips=1,
        x_forwarded_for_reject_not_present=True,
    )
    policy = forwarded_for(configured)
    assert policy is not None
    assert policy.hop_skips == 1 and policy.reject_not_present
    assert not policy.reject_not_authorized  # OpenBao's (undocumented) default
    assert policy.is_authorized("192.0.2.1") and not policy.is_authorized("192.0.2.2")
    with pytest.raises(ConfigError):
        forwarded_for(ListenerConfig(type="tcp", x_forwarded_for_authorized_addrs=("x",)))


def test_the_server_starts_with_x_forwarded_for() -> None:
    listener = ListenerConfig(type="tcp", x_forwarded_for_authorized_addrs=("10.0.0.0/8",))
    config = ServerConfig(
        storage=StorageConfig(type="inmem", options={}, source="t"), listeners=(listener,)
    )
    check_supported(config)  # no longer refused


# --- through a real listener ---


@dataclass
class Served:
    port: int
    host: str
    token: str
    audit_log: Path

    async def request(
        self,
        path: str,
        headers: list[tuple[str, str]],
        *,
        token: str | None = None,
        method: str = "GET",
        body: bytes = b"",
    ) -> tuple[int, dict[str, object]]:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", "Host: strongroom", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers]
        if token is not None:
            lines.append(f"X-Vault-Token: {token}")
        lines.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        raw = await asyncio.wait_for(reader.read(), 5)
        writer.close()
        head, _, payload = raw.partition(b"\r\n\r\n")
        status = int(head.split(b" ")[1])
        return status, json.loads(payload) if payload else {}

    def audited(self, path: str) -> dict[str, object]:
        """The last audited request to `path`."""
        records = [json.loads(line) for line in self.audit_log.read_text().splitlines()]
        matching = [r["request"] for r in records if r["request"].get("path") == path]
        assert matching, f"no audit record for {path}"
        last: dict[str, object] = matching[-1]
        return last


@asynccontextmanager
async def listening(
    policy: ForwardedFor | None, tmp_path: Path, host: str = "127.0.0.1", *, audit: bool = True
) -> AsyncIterator[Served]:
    core = Core(
        InmemStorage(),
        catalog=catalog,
        options=CoreOptions(unsafe_allow_api_audit_creation=True),
    )
    result = await core.initialize(SealConfig(secret_shares=1, secret_threshold=1))
    await core.submit_unseal_share(result.shares[0])
    audit_log = tmp_path / "audit.log"
    server = HttpServer(StrongroomApp(core, None, policy))
    sock = bind(f"[{host}]:0" if ":" in host else f"{host}:0")
    await server.start(sock, None)
    served = Served(sock.getsockname()[1], host, result.root_token, audit_log)
    try:
        status, _ = (
            (204, {})
            if not audit
            else await served.request(
                "/v1/sys/audit/file",
                [],
                token=served.token,
                method="PUT",
                body=json.dumps(
                    {"type": "file", "options": {"file_path": str(audit_log)}}
                ).encode(),
            )
        )
        assert status == 204
        yield served
    finally:
        await server.close(grace=1)
        sock.close()
        await core.shutdown()


XFF = "X-Forwarded-For"


async def test_audit_records_the_forwarded_address(tmp_path: Path) -> None:
    async with listening(ForwardedFor.parse(["127.0.0.1"]), tmp_path) as served:
        status, _ = await served.request(
            "/v1/auth/token/lookup-self", [(XFF, "198.51.100.1, 203.0.113.9")], token=served.token
        )
        assert status == 200
        record = served.audited("auth/token/lookup-self")
        assert record["remote_address"] == "203.0.113.9"
        assert isinstance(record["remote_port"], int) and record["remote_port"] > 0
        # no header: the TCP peer, as before
        await served.request("/v1/auth/token/lookup-self", [], token=served.token)
        assert served.audited("auth/token/lookup-self")["remote_address"] == "127.0.0.1"


async def test_token_bound_cidrs_are_checked_against_the_forwarded_address(
    tmp_path: Path,
) -> None:
    async with listening(ForwardedFor.parse(["127.0.0.1"], hop_skips=1), tmp_path) as served:
        root = served.token
        for path, data in (
            ("/v1/sys/auth/userpass", {"type": "userpass"}),
            (
                "/v1/auth/userpass/users/alice",
                {"password": "pw", "token_bound_cidrs": ["192.0.2.0/24"]},
            ),
        ):
            status, out = await served.request(
                path, [], token=root, method="POST", body=json.dumps(data).encode()
            )
            assert status == 204, out
        inside = [(XFF, "192.0.2.77, 10.0.0.1")]
        outside = [(XFF, "198.51.100.5, 192.0.2.77")]  # the last hop is skipped
        login = ("/v1/auth/userpass/login/alice", json.dumps({"password": "pw"}).encode())
        status, _ = await served.request(login[0], outside, method="POST", body=login[1])
        assert status in (400, 403)  # refused: logging in from outside the CIDRs
        status, out = await served.request(login[0], inside, method="POST", body=login[1])
        assert status == 200, out
        auth = out["auth"]
        assert isinstance(auth, dict)
        token = auth["client_token"]
        assert (await served.request("/v1/auth/token/lookup-self", inside, token=token))[0] == 200
        status, denied = await served.request("/v1/auth/token/lookup-self", outside, token=token)
        assert (status, denied) == (403, {"errors": ["permission denied"]})
        # without the header the peer (127.0.0.1) is outside the bound CIDRs
        assert (await served.request("/v1/auth/token/lookup-self", [], token=token))[0] == 403


async def test_approle_secret_id_bound_cidrs_see_the_forwarded_address(tmp_path: Path) -> None:
    async with listening(ForwardedFor.parse(["127.0.0.1"]), tmp_path) as served:
        root = served.token

        async def call(path: str, data: object, headers: list[tuple[str, str]]) -> object:
            status, out = await served.request(
                path, headers, token=root, method="POST", body=json.dumps(data).encode()
            )
            assert status in (200, 204), out
            return out.get("data")

        await call("/v1/sys/auth/approle", {"type": "approle"}, [])
        await call("/v1/auth/approle/role/web", {"secret_id_bound_cidrs": ["192.0.2.0/24"]}, [])
        _, role = await served.request("/v1/auth/approle/role/web/role-id", [], token=root)
        role_id = role["data"]["role_id"]  # type: ignore[index]
        secret = await call("/v1/auth/approle/role/web/secret-id", {}, [])
        secret_id = secret["secret_id"]  # type: ignore[index]
        login = json.dumps({"role_id": role_id, "secret_id": secret_id}).encode()
        status, _ = await served.request(
            "/v1/auth/approle/login", [(XFF, "198.51.100.5")], method="POST", body=login
        )
        assert status == 400  # outside the secret ID's CIDRs
        status, out = await served.request(
            "/v1/auth/approle/login", [(XFF, "192.0.2.5")], method="POST", body=login
        )
        assert status == 200, out


async def test_the_400s_on_the_wire_include_sys_health(tmp_path: Path) -> None:
    strict = ForwardedFor.parse(["10.0.0.0/8"], reject_not_present=True, reject_not_authorized=True)
    async with listening(strict, tmp_path, audit=False) as served:
        status, body = await served.request("/v1/sys/health", [])
        assert (status, body) == (400, {"errors": [ERR_NOT_PRESENT]})
        status, body = await served.request("/v1/sys/health", [(XFF, "203.0.113.1")])
        assert (status, body) == (400, {"errors": [ERR_NOT_AUTHORIZED]})
    async with listening(ForwardedFor.parse(["127.0.0.1"], hop_skips=2), tmp_path) as served:
        status, body = await served.request("/v1/sys/health", [(XFF, "203.0.113.1, 10.0.0.1")])
        assert status == 400
        assert body == {"errors": [ERR_HOP_SKIPS.format(hops=2, lines=1)]}
        # a request without the header is still served (reject_not_present defaults to false)
        assert (await served.request("/v1/sys/health", []))[0] == 200


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="no IPv6 loopback")
async def test_an_ipv6_peer(tmp_path: Path) -> None:
    async with listening(ForwardedFor.parse(["::1/128"]), tmp_path, host="::1") as served:
        await served.request(
            "/v1/auth/token/lookup-self", [(XFF, "2001:db8::42")], token=served.token
        )
        assert served.audited("auth/token/lookup-self")["remote_address"] == "2001:db8::42"
    only_v4 = ForwardedFor.parse(["127.0.0.1"], reject_not_authorized=True)
    async with listening(only_v4, tmp_path, host="::1", audit=False) as served:
        status, body = await served.request("/v1/sys/health", [(XFF, "2001:db8::42")])
        assert (status, body) == (400, {"errors": [ERR_NOT_AUTHORIZED]})


# --- the ASGI path ---


async def test_asgi_joins_repeated_headers(tmp_path: Path) -> None:
    core = Core(InmemStorage(), catalog=catalog)
    app = StrongroomApp(core, None, ForwardedFor.parse(["192.0.2.1"], hop_skips=1))
    transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 5555))
    async with httpx.AsyncClient(transport=transport, base_url="http://sr.test") as client:
        one = await client.get("/v1/sys/health", headers=[(XFF, "203.0.113.1")])
        assert one.status_code == 400
        assert "hops to skip (1)" in one.json()["errors"][0]
        two = await client.get("/v1/sys/health", headers=[(XFF, "203.0.113.1"), (XFF, "10.0.0.1")])
        assert two.status_code == 501  # served: not initialised
    await core.shutdown()
