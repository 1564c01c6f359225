"""The `sys/` endpoints that answer without a token and while sealed: init, seal-status,
unseal, health, leader, and (when the listener allows it) rekey and generate-root.

Each handler takes the core, the HTTP method, the query and the decoded body, and returns
(status, JSON body or None).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from strongroom.core import Core
from strongroom.durations import parse_bool
from strongroom.errors import (
    ERR_NOT_INITIALIZED,
    InvalidRequest,
    UnsupportedOperation,
)
from strongroom.http import sys_rekey
from strongroom.http.options import ListenerOptions
from strongroom.seal import SealConfig
from strongroom.seal.shares import decode_share, shares_json
from strongroom.types import JSON, JSONDict

Result = tuple[int, JSON]
Handler = Callable[[Core, str, Mapping[str, str], JSONDict], Awaitable[Result]]


def _int_field(body: JSONDict, name: str, default: int = 0) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        # vault-compat: Go's json decoder error for a mistyped InitRequest field
        raise InvalidRequest(f"failed to decode JSON input: field {name!r} must be an integer")
    return value


def _bool_field(body: JSONDict, name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise InvalidRequest(f"failed to decode JSON input: field {name!r} must be a boolean")
    return value


async def init(core: Core, method: str, query: Mapping[str, str], body: JSONDict) -> Result:
    if method == "GET":
        return 200, {"initialized": await core.initialized()}
    if method not in ("PUT", "POST"):
        raise UnsupportedOperation()
    if body.get("pgp_keys") or body.get("root_token_pgp_key"):
        raise InvalidRequest("PGP-encrypted key shares are not supported")
    config = SealConfig(
        secret_shares=_int_field(body, "secret_shares"),
        secret_threshold=_int_field(body, "secret_threshold"),
    )
    result = await core.initialize(config)
    return 200, {**shares_json(result.shares), "root_token": result.root_token}


async def seal_status(core: Core, method: str, query: Mapping[str, str], body: JSONDict) -> Result:
    if method != "GET":
        raise UnsupportedOperation()
    return 200, (await core.seal_status()).to_json()


async def unseal(core: Core, method: str, query: Mapping[str, str], body: JSONDict) -> Result:
    if method not in ("PUT", "POST"):
        raise UnsupportedOperation()
    if _bool_field(body, "reset"):
        core.reset_unseal()
    elif "key" not in body or body.get("key") in ("", None):
        # vault-compat: sys/unseal error text
        raise InvalidRequest(
            "'key' must be specified in request body as JSON, or 'reset' set to true"
        )
    else:
        if not await core.initialized():
            raise InvalidRequest(ERR_NOT_INITIALIZED)
        await core.submit_unseal_share(decode_share(body["key"]))
    return 200, (await core.seal_status()).to_json()


# vault-compat: sys/health default codes and the query parameters that override them
_HEALTH_DEFAULTS = {
    "activecode": 200,
    "standbycode": 429,
    "drsecondarycode": 472,
    "performancestandbycode": 473,
    "sealedcode": 503,
    "uninitcode": 501,
}


def _health_code(query: Mapping[str, str], name: str) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return _HEALTH_DEFAULTS[name]
    try:
        code = int(raw)
    except ValueError:
        raise InvalidRequest(f"unable to parse {name}: invalid value {raw!r}") from None
    if code < 1:
        raise InvalidRequest(f"{name} must be at least 1")
    return code


def _query_flag(query: Mapping[str, str], name: str) -> bool:
    raw = query.get(name)
    if raw is None:
        return False
    if raw == "":
        return True
    try:
        return parse_bool(raw)
    except ValueError:
        raise InvalidRequest(f"bad value for {name} parameter") from None


async def health(core: Core, method: str, query: Mapping[str, str], body: JSONDict) -> Result:
    if method not in ("GET", "HEAD"):
        raise UnsupportedOperation()
    codes = {name: _health_code(query, name) for name in _HEALTH_DEFAULTS}
    standby_ok = _query_flag(query, "standbyok")
    _query_flag(query, "perfstandbyok")
    status = await core.health()
    if not status.initialized:
        code = codes["uninitcode"]
    elif status.sealed:
        code = codes["sealedcode"]
    elif status.standby and not standby_ok:
        code = codes["standbycode"]
    else:
        code = codes["activecode"]
    return code, status.to_json()


async def leader(core: Core, method: str, query: Mapping[str, str], body: JSONDict) -> Result:
    if method != "GET":
        raise UnsupportedOperation()
    return 200, core.leader()


def handlers(options: ListenerOptions) -> dict[str, Handler]:
    """The unauthenticated endpoints this listener serves, by path under `/v1/`."""
    table: dict[str, Handler] = {
        "sys/init": init,
        "sys/seal-status": seal_status,
        "sys/unseal": unseal,
        "sys/health": health,
        "sys/leader": leader,
    }
    disabled = sys_rekey.disabled
    rekey = sys_rekey.rekey_handlers()
    generate = sys_rekey.generate_root_handlers()
    for path, handler in rekey.items():
        table[path] = disabled if options.disable_unauthed_rekey_endpoints else handler
    for path, handler in generate.items():
        table[path] = disabled if options.disable_unauthed_generate_root_endpoints else handler
    return table


__all__ = ["Handler", "Result", "handlers"]
