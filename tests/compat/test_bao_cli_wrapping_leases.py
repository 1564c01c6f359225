"""Response wrapping and token leases with the real `bao` CLI, against Strongroom and OpenBao."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

pytestmark = [pytest.mark.compat, pytest.mark.slow]


def test_kv_get_wrapped_then_unwrap_once(dev_target: Any) -> None:
    t = dev_target
    t.ok("kv", "put", "secret/w", "a=b")
    wrapped = json.loads(t.ok("kv", "get", "-wrap-ttl=60s", "-format=json", "secret/w"))
    token = wrapped["wrap_info"]["token"]
    assert wrapped["data"] is None and wrapped["wrap_info"]["creation_path"] == "secret/data/w"
    first = json.loads(t.ok("unwrap", "-format=json", token))
    assert first["data"]["data"] == {"a": "b"}
    second = t.bao("unwrap", token)
    assert second.returncode == 2
    assert "wrapping token is not valid or does not exist" in second.stderr


def test_token_lease_lookup_renew_revoke(dev_target: Any) -> None:
    t = dev_target
    for _ in range(2):
        t.ok("token", "create", "-ttl=1h", "-policy=default")
    listed = json.loads(t.ok("list", "-format=json", "sys/leases/lookup/auth/token/create"))
    assert len(listed) >= 2
    lease_id = "auth/token/create/" + listed[0]
    looked = t.json("lease lookup", lease_id)["data"]
    assert looked["id"] == lease_id
    t.ok("lease", "revoke", "-prefix", "auth/token/create")
    deadline = time.monotonic() + 10  # OpenBao revokes asynchronously: poll
    while time.monotonic() < deadline:
        remaining = t.bao("list", "-format=json", "sys/leases/lookup/auth/token/create")
        if remaining.returncode != 0:
            break
        time.sleep(0.2)
    assert t.bao("list", "sys/leases/lookup/auth/token/create").returncode == 2


def test_short_token_expires(dev_target: Any) -> None:
    t = dev_target
    token = t.ok("token", "create", "-ttl=2s", "-policy=default", "-field=token").strip()
    assert t.bao("token", "lookup", token=token).returncode == 0
    time.sleep(3)
    assert t.bao("token", "lookup", token=token).returncode == 2
