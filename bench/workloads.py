"""The benchmark workloads: what each one sends, and its wrk Lua script.

Each workload is data (method, path, body kind, whether it sends the bench token, and the
setup features it needs). The same data renders the wrk script and the single probe request
that `setup.py` sends before any load, so the probe checks exactly what wrk will send.
This module does no I/O.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum

from bench.wrk import RESULT_MARKER

KEY_PLACEHOLDER = "{key}"
"""Marks where a workload's path takes a random secret index (0 .. key_count - 1)."""


class Body(Enum):
    """The request body a workload sends."""

    NONE = "none"
    KV_SECRET = "kv-secret"
    TRANSIT_PLAINTEXT = "transit-plaintext"
    APPROLE_LOGIN = "approle-login"


@dataclass(frozen=True, slots=True)
class Credentials:
    """What setup created and the workloads use. The root token is deliberately absent."""

    token: str
    role_id: str
    secret_id: str
    key_count: int
    secret_value: str
    plaintext_b64: str


@dataclass(frozen=True, slots=True)
class Workload:
    """One kind of request, sent in a loop by wrk."""

    name: str
    title: str
    method: str
    path: str
    body: Body
    sends_token: bool
    needs: tuple[str, ...]
    """Setup features (see `setup.FEATURES`) without which the workload cannot run."""

    def concrete_path(self, key: int) -> str:
        return self.path.replace(KEY_PLACEHOLDER, str(key))


WORKLOADS: tuple[Workload, ...] = (
    Workload(
        name="kv-read",
        title="kv-v2 read",
        method="GET",
        path="/v1/secret/data/bench/{key}",
        body=Body.NONE,
        sends_token=True,
        needs=("kv", "token"),
    ),
    Workload(
        name="kv-write",
        title="kv-v2 write",
        method="POST",
        path="/v1/secret/data/bench/{key}",
        body=Body.KV_SECRET,
        sends_token=True,
        needs=("kv", "token"),
    ),
    Workload(
        name="transit-encrypt",
        title="transit encrypt (100 B)",
        method="POST",
        path="/v1/transit/encrypt/bench",
        body=Body.TRANSIT_PLAINTEXT,
        sends_token=True,
        needs=("transit", "token"),
    ),
    Workload(
        name="token-lookup-self",
        title="token lookup-self",
        method="GET",
        path="/v1/auth/token/lookup-self",
        body=Body.NONE,
        sends_token=True,
        needs=("token",),
    ),
    Workload(
        name="approle-login",
        title="AppRole login",
        method="POST",
        path="/v1/auth/approle/login",
        body=Body.APPROLE_LOGIN,
        sends_token=False,
        needs=("approle",),
    ),
    Workload(
        name="sys-health",
        title="sys/health",
        method="GET",
        path="/v1/sys/health",
        body=Body.NONE,
        sends_token=False,
        needs=(),
    ),
)

WORKLOAD_NAMES: tuple[str, ...] = tuple(w.name for w in WORKLOADS)


def select_workloads(names: str | None) -> tuple[Workload, ...]:
    """The workloads named in a comma list (all when None), in catalogue order."""
    if names is None:
        return WORKLOADS
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = sorted(set(wanted) - set(WORKLOAD_NAMES))
    if unknown or not wanted:
        raise ValueError(
            f"unknown workload(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(WORKLOAD_NAMES)}"
        )
    return tuple(w for w in WORKLOADS if w.name in wanted)


def request_body(workload: Workload, creds: Credentials) -> str | None:
    """The JSON body the workload sends, or None."""
    match workload.body:
        case Body.NONE:
            return None
        case Body.KV_SECRET:
            return json.dumps({"data": {"value": creds.secret_value}})
        case Body.TRANSIT_PLAINTEXT:
            return json.dumps({"plaintext": creds.plaintext_b64})
        case Body.APPROLE_LOGIN:
            return json.dumps({"role_id": creds.role_id, "secret_id": creds.secret_id})


def request_headers(workload: Workload, creds: Credentials) -> dict[str, str]:
    headers = {"X-Vault-Token": creds.token} if workload.sends_token else {}
    if workload.body is not Body.NONE:
        headers["Content-Type"] = "application/json"
    return headers


def lua_string(text: str) -> str:
    """A Lua string literal for `text` (every byte outside printable ASCII escaped)."""
    out = []
    for byte in text.encode():
        char = chr(byte)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= byte < 0x7F:
            out.append(char)
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


DONE_HOOK = f"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{RESULT_MARKER}{{"requests":%d,"duration_us":%d,"p50_us":%.1f,"p99_us":%.1f,'
    .. '"errors":{{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d}}}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout, e.status))
end
"""
"""Prints the machine-readable result (wrk's `summary.errors.status` counts status >= 400)."""


def render_script(workload: Workload, creds: Credentials) -> str:
    """The wrk Lua script for one workload.

    A fixed request is set on `wrk.*` once, so wrk pre-builds it. Only a path with a random
    key defines `request()`, which formats each request (wrk's Lua cost, not the server's).
    """
    lines = [
        f"-- generated by `python -m bench`: {workload.name} ({workload.title})",
        f"wrk.method = {lua_string(workload.method)}",
    ]
    for name, value in request_headers(workload, creds).items():
        lines.append(f"wrk.headers[{lua_string(name)}] = {lua_string(value)}")
    body = request_body(workload, creds)
    if body is not None:
        lines.append(f"wrk.body = {lua_string(body)}")
    if KEY_PLACEHOLDER in workload.path:
        prefix, suffix = workload.path.split(KEY_PLACEHOLDER, 1)
        lines += [
            f"local key_count = {creds.key_count}",
            "init = function(args)",
            "  math.randomseed(os.time() + math.floor(os.clock() * 1000000))",
            "end",
            "request = function()",
            f"  local path = {lua_string(prefix)} .. math.random(0, key_count - 1)"
            + (f" .. {lua_string(suffix)}" if suffix else ""),
            "  return wrk.format(nil, path)",
            "end",
        ]
    else:
        lines.append(f"wrk.path = {lua_string(workload.path)}")
    return "\n".join(lines) + "\n" + DONE_HOOK


__all__ = [
    "DONE_HOOK",
    "KEY_PLACEHOLDER",
    "WORKLOADS",
    "WORKLOAD_NAMES",
    "Body",
    "Credentials",
    "Workload",
    "lua_string",
    "render_script",
    "request_body",
    "request_headers",
    "select_workloads",
]
