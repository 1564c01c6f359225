"""The unauthenticated `sys/rekey/*` and `sys/generate-root/*` endpoints.

OpenBao turns them off by default (listener `disable_unauthed_rekey_endpoints` and
`disable_unauthed_generate_root_endpoints`); a disabled one answers 405, as OpenBao does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from strongroom.core import Core
from strongroom.errors import InvalidRequest, UnsupportedOperation
from strongroom.seal import SealConfig
from strongroom.seal.shares import decode_share
from strongroom.types import JSON, JSONDict

Result = tuple[int, JSON]
Handler = Callable[[Core, str, Mapping[str, str], JSONDict], Awaitable[Result]]


async def disabled(core: Core, method: str, query: Mapping[str, str], body: JSONDict) -> Result:
    raise UnsupportedOperation()


def _int(body: JSONDict, name: str) -> int:
    value = body.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequest(f"failed to decode JSON input: field {name!r} must be an integer")
    return value


def _str(body: JSONDict, name: str) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise InvalidRequest(f"failed to decode JSON input: field {name!r} must be a string")
    return value


async def rekey_init(core: Core, method: str, query: Mapping[str, str], body: JSONDict) -> Result:
    if method == "GET":
        return 200, await core.rekey.status()
    if method == "DELETE":
        core.rekey.cancel()
        return 204, None
    if method not in ("PUT", "POST"):
        raise UnsupportedOperation()
    if body.get("pgp_keys") or body.get("backup"):
        raise InvalidRequest("PGP-encrypted key shares are not supported")
    config = SealConfig(
        secret_shares=_int(body, "secret_shares"), secret_threshold=_int(body, "secret_threshold")
    )
    verify = body.get("require_verification", False)
    if not isinstance(verify, bool):
        raise InvalidRequest(
            "failed to decode JSON input: field 'require_verification' must be a boolean"
        )
    return 200, await core.rekey.start(config, require_verification=verify)


async def rekey_update(core: Core, method: str, query: Mapping[str, str], body: JSONDict) -> Result:
    if method not in ("PUT", "POST"):
        raise UnsupportedOperation()
    share = decode_share(body.get("key"))
    return 200, await core.rekey.update(share, _str(body, "nonce"))


async def rekey_verify(core: Core, method: str, query: Mapping[str, str], body: JSONDict) -> Result:
    if method == "GET":
        return 200, await core.rekey.verification_status()
    if method == "DELETE":
        return 200, await core.rekey.restart_verification()
    if method not in ("PUT", "POST"):
        raise UnsupportedOperation()
    share = decode_share(body.get("key"))
    return 200, await core.rekey.verify(share, _str(body, "nonce"))


async def generate_root_attempt(
    core: Core, method: str, query: Mapping[str, str], body: JSONDict
) -> Result:
    if method == "GET":
        return 200, await core.generate_root.status()
    if method == "DELETE":
        core.generate_root.cancel()
        return 204, None
    if method not in ("PUT", "POST"):
        raise UnsupportedOperation()
    return 200, await core.generate_root.start(otp=_str(body, "otp"), pgp_key=_str(body, "pgp_key"))


async def generate_root_update(
    core: Core, method: str, query: Mapping[str, str], body: JSONDict
) -> Result:
    if method not in ("PUT", "POST"):
        raise UnsupportedOperation()
    share = decode_share(body.get("key"))
    return 200, await core.generate_root.update(share, _str(body, "nonce"))


def rekey_handlers() -> dict[str, Handler]:
    return {
        "sys/rekey/init": rekey_init,
        "sys/rekey/update": rekey_update,
        "sys/rekey/verify": rekey_verify,
    }


def generate_root_handlers() -> dict[str, Handler]:
    return {
        "sys/generate-root/attempt": generate_root_attempt,
        "sys/generate-root/update": generate_root_update,
    }


__all__ = ["disabled", "generate_root_handlers", "rekey_handlers"]
