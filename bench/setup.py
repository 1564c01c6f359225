"""Setting a server up for the benchmark through its HTTP API (httpx, synchronous).

Owns initialising (1 share, threshold 1), unsealing, waiting until active, enabling the
file audit device, and creating the same objects on every server: kv-v2 at `secret/` with
the bench secrets, a transit key, a policy, a non-root token and an AppRole. Every step
that a server refuses (non-2xx) is recorded as a `Refusal` against the feature it belongs
to, and every workload is probed once with exactly the request wrk will send; nothing is
ever assumed to work. With `strict=True` (the reference server) a refusal is an error.
It must not start processes or generate load.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from random import Random
from string import ascii_letters, digits

import httpx

from bench.workloads import Credentials, Workload, request_body, request_headers

FEATURES: tuple[str, ...] = ("kv", "transit", "token", "approle")
KEY_COUNT = 1000
SECRET_BYTES = 200
PLAINTEXT_BYTES = 100
WRITE_PARALLELISM = 16
POLICY_NAME = "bench"
POLICY = """\
path "secret/data/bench/*" {
  capabilities = ["create", "read", "update"]
}
path "transit/encrypt/bench" {
  capabilities = ["update"]
}
path "auth/token/lookup-self" {
  capabilities = ["read"]
}
"""
"""Exactly what the workloads need (the token gets no `default` policy)."""

TOKEN_TTL = "24h"
"""Long enough that no token expires (and is revoked in the background) during a run."""

_NOT_IMPLEMENTED_STATUSES = frozenset({404, 405, 501})
_NOT_IMPLEMENTED_MESSAGES = ("not found in the catalog", "unsupported path", "no handler for route")


class SetupError(RuntimeError):
    """A server could not be initialised or unsealed, or the reference server refused a step."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """A setup step or probe that the server answered with a non-2xx status."""

    step: str
    status: int
    message: str

    @property
    def not_implemented(self) -> bool:
        """The server does not have the endpoint or backend type (rather than failing)."""
        message = self.message.lower()
        return self.status in _NOT_IMPLEMENTED_STATUSES or any(
            marker in message for marker in _NOT_IMPLEMENTED_MESSAGES
        )

    @property
    def label(self) -> str:
        if self.not_implemented:
            return "not implemented"
        return "request failed" if self.step.startswith("probe ") else "setup failed"

    def describe(self) -> str:
        return f"{self.step} answered HTTP {self.status}: {self.message or '(no message)'}"


@dataclass(frozen=True, slots=True)
class InitKeys:
    unseal_key: str
    root_token: str


@dataclass(frozen=True, slots=True)
class Prepared:
    """A server after setup: what the workloads use, and what it refused."""

    creds: Credentials
    audit: Refusal | None
    """None when the file audit device is enabled."""
    refused: Mapping[str, Refusal] = field(default_factory=dict)
    """Per setup feature, or per workload name for a failed probe."""

    def unavailable(self, workload: Workload) -> Refusal | None:
        """Why the workload cannot run on this server, or None if it can."""
        for need in (*workload.needs, workload.name):
            if need in self.refused:
                return self.refused[need]
        return None


def refusal_from(method: str, path: str, response: httpx.Response) -> Refusal:
    """A Refusal carrying the server's `{"errors": [...]}` message when there is one."""
    try:
        decoded: object = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        decoded = None
    errors = decoded.get("errors") if isinstance(decoded, dict) else None
    if isinstance(errors, list) and errors:
        message = "; ".join(str(e) for e in errors)
    else:
        message = response.text.strip()[:200]
    return Refusal(f"{method} {path}", response.status_code, message)


def _data(response: httpx.Response) -> dict[str, object]:
    decoded: object = response.json()
    if isinstance(decoded, dict):
        inner = decoded.get("data")
        if isinstance(inner, dict):
            return inner
        return decoded
    raise SetupError(f"unexpected JSON body: {response.text[:200]}")


class Api:
    """An httpx client for one server, sending the root token on setup calls."""

    def __init__(self, address: str) -> None:
        self.client = httpx.Client(base_url=address + "/v1/", trust_env=False, timeout=30.0)
        self.root_token = ""

    def close(self) -> None:
        self.client.close()

    def send(
        self, method: str, path: str, body: Mapping[str, object] | None = None
    ) -> tuple[httpx.Response, Refusal | None]:
        headers = {"X-Vault-Token": self.root_token} if self.root_token else {}
        response = self.client.request(method, path, json=body, headers=headers)
        if response.is_success:
            return response, None
        return response, refusal_from(method, path, response)


def initialize(api: Api) -> InitKeys:
    """`PUT sys/init` with one key share; the root token is then used by `api`.

    On OpenBao with raft this takes several seconds (it bootstraps the cluster and waits
    for an election), well within the 30 s client timeout.
    """
    response, refused = api.send("PUT", "sys/init", {"secret_shares": 1, "secret_threshold": 1})
    if refused is not None:
        raise SetupError(refused.describe())
    body = response.json()
    keys = InitKeys(unseal_key=str(body["keys"][0]), root_token=str(body["root_token"]))
    api.root_token = keys.root_token
    return keys


def unseal_and_wait_active(api: Api, keys: InitKeys, timeout: float = 60.0) -> str:
    """Unseal with the one key, then wait until `sys/health` answers 200 (for raft: this
    node has won its election and is active). Returns the server's version string."""
    api.root_token = keys.root_token
    response, refused = api.send("PUT", "sys/unseal", {"key": keys.unseal_key})
    if refused is not None:
        raise SetupError(refused.describe())
    version = str(response.json().get("version", "?"))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if api.client.get("sys/health").status_code == 200:
            return version
        time.sleep(0.05)
    raise SetupError(f"not active {timeout:.0f}s after unseal (sys/health never answered 200)")


def enable_audit(api: Api, file_path: str) -> Refusal | None:
    """`PUT sys/audit/file`; the Refusal (e.g. 404/405 where audit is not built) or None."""
    body = {"type": "file", "options": {"file_path": file_path}}
    return api.send("PUT", "sys/audit/file", body)[1]


def _steps(api: Api, steps: list[tuple[str, str, Mapping[str, object] | None]]) -> Refusal | None:
    """Send steps in order; stop at the first refusal."""
    for method, path, body in steps:
        refused = api.send(method, path, body)[1]
        if refused is not None:
            return refused
    return None


def _write_secret(api: Api, index: int, value: str, *, retry_s: float) -> Refusal | None:
    # A new kv-v2 mount can briefly answer "Upgrading from non-versioned to versioned data"
    # (OpenBao runs an upgrade check on mount); retry only that.
    deadline = time.monotonic() + retry_s
    while True:
        refused = api.send("POST", f"secret/data/bench/{index}", {"data": {"value": value}})[1]
        if refused is None or "upgrad" not in refused.message.lower():
            return refused
        if time.monotonic() > deadline:
            return refused
        time.sleep(0.1)


def setup_kv(api: Api, value: str, key_count: int) -> Refusal | None:
    """kv-v2 at `secret/` holding `key_count` secrets `secret/data/bench/<i>`.

    The first write goes alone (it may meet the mount's upgrade check); the rest go
    WRITE_PARALLELISM at a time, since each write waits for a durable commit (a few ms).
    """
    mount = {"type": "kv", "options": {"version": "2"}}
    refused = _steps(api, [("POST", "sys/mounts/secret", mount)])
    if refused is not None or key_count == 0:
        return refused
    refused = _write_secret(api, 0, value, retry_s=10.0)
    if refused is not None:
        return refused
    with ThreadPoolExecutor(WRITE_PARALLELISM) as pool:  # httpx.Client is thread-safe
        outcomes = pool.map(
            lambda index: _write_secret(api, index, value, retry_s=0.0), range(1, key_count)
        )
        return next((r for r in outcomes if r is not None), None)


def setup_transit(api: Api) -> Refusal | None:
    """A transit mount with the key `bench` (aes256-gcm96, the default type)."""
    return _steps(
        api,
        [("POST", "sys/mounts/transit", {"type": "transit"}), ("POST", "transit/keys/bench", {})],
    )


def setup_token(api: Api) -> tuple[str, Refusal | None]:
    """The bench policy and a non-root token that has only that policy."""
    refused = _steps(api, [("PUT", f"sys/policies/acl/{POLICY_NAME}", {"policy": POLICY})])
    if refused is not None:
        return "", refused
    body = {"policies": [POLICY_NAME], "no_default_policy": True, "ttl": TOKEN_TTL}
    response, refused = api.send("POST", "auth/token/create", body)
    if refused is not None:
        return "", refused
    auth = response.json().get("auth") or {}
    token = str(auth.get("client_token") or "")
    if not token or auth.get("policies") != [POLICY_NAME]:
        # The load must run with exactly the bench policy, never as root.
        return "", Refusal("POST auth/token/create", response.status_code, f"bad auth: {auth}")
    return token, None


def setup_approle(api: Api) -> tuple[tuple[str, str], Refusal | None]:
    """AppRole at `auth/approle/`, role `bench`, its role_id and an unlimited secret_id."""
    role = {
        "token_policies": [POLICY_NAME],
        "token_ttl": TOKEN_TTL,
        "token_max_ttl": TOKEN_TTL,
        "secret_id_num_uses": 0,
        "secret_id_ttl": 0,
    }
    refused = _steps(
        api,
        [
            ("POST", "sys/auth/approle", {"type": "approle"}),
            ("POST", "auth/approle/role/bench", role),
        ],
    )
    if refused is not None:
        return ("", ""), refused
    response, refused = api.send("GET", "auth/approle/role/bench/role-id")
    if refused is not None:
        return ("", ""), refused
    role_id = str(_data(response).get("role_id", ""))
    response, refused = api.send("POST", "auth/approle/role/bench/secret-id", {})
    if refused is not None:
        return ("", ""), refused
    data = _data(response)
    if data.get("secret_id_num_uses", 0) != 0:
        step = "POST auth/approle/role/bench/secret-id"
        return ("", ""), Refusal(step, response.status_code, f"secret_id is limited: {data}")
    return (role_id, str(data.get("secret_id", ""))), None


def probe(api: Api, workload: Workload, creds: Credentials) -> Refusal | None:
    """Send the workload's request once, exactly as wrk will (never with the root token)."""
    path = workload.concrete_path(0)
    body = request_body(workload, creds)
    response = api.client.request(
        workload.method,
        path.removeprefix("/v1/"),
        content=body.encode() if body is not None else None,
        headers=request_headers(workload, creds),
    )
    if response.is_success:
        return None
    refused = refusal_from(workload.method, path, response)
    return Refusal("probe " + refused.step, refused.status, refused.message)


def configure(
    api: Api,
    workloads: tuple[Workload, ...],
    *,
    audit_path: str,
    rng: Random,
    strict: bool,
    key_count: int = KEY_COUNT,
) -> Prepared:
    """Audit, then every feature the workloads need, then one probe per runnable workload.

    `strict` (the reference server): any refusal raises SetupError, since the benchmark
    itself must be wrong. Otherwise refusals are returned, and the report shows them.
    """
    needed = {need for workload in workloads for need in workload.needs}
    audit = enable_audit(api, audit_path)
    value, plaintext_b64 = random_payloads(rng)
    refused: dict[str, Refusal] = {}
    token, (role_id, secret_id) = "", ("", "")
    outcomes: dict[str, Refusal | None] = {}
    if "kv" in needed:
        outcomes["kv"] = setup_kv(api, value, key_count)
    if "transit" in needed:
        outcomes["transit"] = setup_transit(api)
    if "token" in needed:
        token, outcomes["token"] = setup_token(api)
    if "approle" in needed:
        (role_id, secret_id), outcomes["approle"] = setup_approle(api)
    refused.update({name: r for name, r in outcomes.items() if r is not None})
    creds = Credentials(token, role_id, secret_id, key_count, value, plaintext_b64)
    prepared = Prepared(creds, audit, refused)
    for workload in workloads:
        if prepared.unavailable(workload) is None:
            failed = probe(api, workload, creds)
            if failed is not None:
                refused[workload.name] = failed
    if strict and (audit is not None or refused):
        problems = [r.describe() for r in (audit, *refused.values()) if r is not None]
        raise SetupError("the reference server refused setup: " + "; ".join(problems))
    return prepared


def random_payloads(rng: Random) -> tuple[str, str]:
    """A ~200-byte printable secret value and 100 random bytes as base64."""
    value = "".join(rng.choices(ascii_letters + digits, k=SECRET_BYTES))
    return value, base64.b64encode(rng.randbytes(PLAINTEXT_BYTES)).decode()


__all__ = [
    "FEATURES",
    "KEY_COUNT",
    "POLICY",
    "Api",
    "InitKeys",
    "Prepared",
    "Refusal",
    "SetupError",
    "configure",
    "enable_audit",
    "initialize",
    "probe",
    "random_payloads",
    "refusal_from",
    "setup_approle",
    "setup_kv",
    "setup_token",
    "setup_transit",
    "unseal_and_wait_active",
]
