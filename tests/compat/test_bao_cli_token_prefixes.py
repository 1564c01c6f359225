"""Token prefixes with the real `bao` CLI and `bao agent`, against Strongroom and OpenBao alike.

The one deliberate difference: OpenBao issues `s.`/`b.` tokens, Strongroom Vault's `hvs.`/`hvb.`
(clients size generate-root OTPs from a 28-character token), so the prefix and OTP length are
checked per server. Everything else is the same: service, wrapping and generate-root tokens are
the prefix + 24 characters, and the CLI handles a batch token (lookup works, renew and revoke
are refused in OpenBao's words)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.compat.agent import (
    kv_reader_role,
    running_agent,
    wait_for_text,
)

pytestmark = [pytest.mark.compat, pytest.mark.slow]

ACCESSOR = re.compile(r"[A-Za-z0-9]{24}")
SERVICE_PREFIX = {"openbao": "s.", "strongroom": "hvs."}
BATCH_PREFIX = {"openbao": "b.", "strongroom": "hvb."}


def _service_token(target: Any) -> re.Pattern[str]:
    return re.compile(re.escape(SERVICE_PREFIX[target.name]) + r"[A-Za-z0-9]{24}")


def test_service_and_wrapping_tokens(dev_target: Any) -> None:
    t = dev_target
    service_token = _service_token(t)
    auth = t.json("token create", "-policy=default", "-ttl=1h")["auth"]
    assert service_token.fullmatch(auth["client_token"]), auth["client_token"]
    assert ACCESSOR.fullmatch(auth["accessor"]), auth["accessor"]
    renewed = t.json("token renew", "-increment=2h", auth["client_token"])["auth"]
    assert renewed["client_token"] == auth["client_token"] and renewed["lease_duration"] == 7200
    wrapped = t.json("token create", "-policy=default", "-wrap-ttl=5m")["wrap_info"]
    assert service_token.fullmatch(wrapped["token"]), wrapped["token"]
    unwrapped = t.json("unwrap", wrapped["token"])["auth"]
    assert service_token.fullmatch(unwrapped["client_token"])


def test_batch_token_lookup_renew_revoke(dev_target: Any) -> None:
    t = dev_target
    auth = t.json("token create", "-type=batch", "-policy=default", "-ttl=10m")["auth"]
    token = auth["client_token"]
    assert token.startswith(BATCH_PREFIX[t.name])
    assert auth["accessor"] == "" and auth["renewable"] is False
    looked = t.json("token lookup", token)["data"]
    assert (looked["type"], looked["id"], looked["renewable"]) == ("batch", token, False)
    assert t.json("token lookup", token=token)["data"]["type"] == "batch"  # lookup-self
    renew = t.bao("token", "renew", token)
    assert renew.returncode == 2 and "batch tokens cannot be renewed" in renew.stderr
    revoke = t.bao("token", "revoke", token)
    assert revoke.returncode == 2 and "batch tokens cannot be revoked" in revoke.stderr
    assert t.json("token lookup", token)["data"]["type"] == "batch"  # still alive


@pytest.mark.parametrize(
    "token", ["b.garbage", "hvb.garbage", "s.", "hvs.AAAAAAAAAAAAAAAAAAAAAAAA"]
)
def test_malformed_tokens_are_permission_denied(dev_target: Any, token: str) -> None:
    result = dev_target.bao("token", "lookup", token=token)
    assert result.returncode == 2
    assert "Code: 403" in result.stderr and "permission denied" in result.stderr


def test_generate_root_otp_fits_a_service_token(dev_target: Any) -> None:
    status = dev_target.json("operator generate-root", "-status")
    assert status["otp_length"] == len(SERVICE_PREFIX[dev_target.name]) + 24


def test_agent_renders_with_a_batch_token(dev_target: Any, tmp_path: Path) -> None:
    t = dev_target
    config = kv_reader_role(t, tmp_path, "token_type=batch")
    t.ok("kv", "put", "secret/app", "password=batch")
    log = tmp_path / "agent.log"
    with running_agent(config, log):
        rendered = wait_for_text(tmp_path / "rendered.txt", "batch".__eq__, 30)
        assert rendered == "batch", log.read_text()
        token = (tmp_path / "token").read_text().strip()
        assert token.startswith(BATCH_PREFIX[t.name])
        assert t.json("token lookup", token)["data"]["type"] == "batch"
