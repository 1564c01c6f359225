"""Tokens and policies with the real `bao` CLI, against Strongroom and OpenBao alike.

`dev_target` (tests/compat/conftest.py) is a DevTarget: a dev server with root token `root`.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.compat, pytest.mark.slow]

POLICY = """
path "cubbyhole/allowed/*" {
  capabilities = ["create", "read", "update"]
}
path "sys/mounts" {
  capabilities = ["read"]
}
"""


def test_policy_write_read_list(dev_target: Any) -> None:
    dev_target.ok("policy", "write", "app", "-", stdin=POLICY)
    assert dev_target.ok("policy", "read", "app").strip() == POLICY.strip()
    listed = dev_target.ok("policy", "list").split()
    assert {"app", "default", "root"} <= set(listed)
    broken = dev_target.bao("policy", "write", "bad", "-", stdin='path "x" { capabilities = [')
    assert broken.returncode == 2
    assert "failed to parse policy" in broken.stderr
    assert dev_target.bao("policy", "read", "bad").returncode == 2


def test_token_with_policy_reads_what_it_may_and_is_denied_elsewhere(dev_target: Any) -> None:
    dev_target.ok("policy", "write", "app", "-", stdin=POLICY)
    token = dev_target.ok("token", "create", "-policy=app", "-field=token").strip()
    dev_target.ok("write", "cubbyhole/allowed/x", "a=b", token=token)
    assert "a" in dev_target.ok("read", "cubbyhole/allowed/x", token=token)
    dev_target.ok("read", "sys/mounts", token=token)
    denied = dev_target.bao("read", "sys/key-status", token=token)
    assert denied.returncode == 2
    assert "permission denied" in denied.stderr
    caps = dev_target.ok("token", "capabilities", token, "sys/mounts").strip()
    assert caps == "read"
    assert dev_target.ok("token", "capabilities", token, "sys/seal").strip() == "deny"
    own = dev_target.ok("token", "capabilities", "cubbyhole/allowed/x", token=token).strip()
    assert own == "create, read, update"


def test_token_lookup_renew_revoke(dev_target: Any) -> None:
    created = dev_target.json("token create", "-policy=default", "-ttl=1h")
    auth = created["auth"]
    token = auth["client_token"]
    looked = dev_target.json("token lookup", token)["data"]
    assert looked["policies"] == ["default"] and 3500 < looked["ttl"] <= 3600
    by_accessor = dev_target.json("token lookup", "-accessor", auth["accessor"])["data"]
    assert by_accessor["accessor"] == auth["accessor"]
    renewed = dev_target.json("token renew", "-increment=2h", token)["auth"]
    assert renewed["lease_duration"] == 7200
    dev_target.ok("token", "revoke", token)
    gone = dev_target.bao("token", "lookup", token)
    assert gone.returncode == 2


def test_orphan_and_use_limited_tokens(dev_target: Any) -> None:
    parent = dev_target.ok("token", "create", "-field=token").strip()
    orphan = dev_target.json("token create", "-orphan", token=parent)["auth"]
    child = dev_target.json("token create", token=parent)["auth"]
    assert orphan["orphan"] is True and child["orphan"] is False
    dev_target.ok("token", "revoke", parent)
    assert dev_target.bao("token", "lookup", child["client_token"]).returncode == 2
    assert dev_target.bao("token", "lookup", orphan["client_token"]).returncode == 0

    once = dev_target.ok("token", "create", "-use-limit=1", "-field=token").strip()
    assert dev_target.bao("token", "lookup", token=once).returncode == 0
    assert dev_target.bao("token", "lookup", token=once).returncode == 2
