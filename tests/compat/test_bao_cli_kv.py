"""KV v1 and v2 with the real `bao kv` commands, against Strongroom and OpenBao alike."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = [pytest.mark.compat, pytest.mark.slow]


def test_kv_v2_lifecycle(dev_target: Any) -> None:
    t = dev_target
    t.ok("kv", "put", "secret/app", "user=a", "pass=b")
    data = t.json("kv get", "secret/app")["data"]
    assert data["data"] == {"user": "a", "pass": "b"} and data["metadata"]["version"] == 1
    t.ok("kv", "patch", "secret/app", "pass=c")
    assert t.ok("kv", "get", "-field=pass", "secret/app").strip() == "c"
    old = t.json("kv get", "-version=1", "secret/app")["data"]
    assert old["data"]["pass"] == "b"
    assert "app" in t.json("kv list", "secret")  # type: ignore[operator]

    rejected = t.bao("kv", "put", "-cas=1", "secret/app", "x=y")
    assert rejected.returncode == 2
    assert "check-and-set parameter did not match the current version" in rejected.stderr
    t.ok("kv", "put", "-cas=2", "secret/app", "x=y")

    t.ok("kv", "delete", "secret/app")
    deleted = t.bao("kv", "get", "-format=json", "secret/app")
    assert deleted.returncode == 0  # soft-deleted: exit 0 with empty data (OpenBao behaviour)
    assert json.loads(deleted.stdout)["data"]["data"] is None
    assert t.bao("kv", "get", "-field=x", "secret/app").returncode == 2
    t.ok("kv", "undelete", "-versions=3", "secret/app")
    assert t.ok("kv", "get", "-field=x", "secret/app").strip() == "y"
    t.ok("kv", "destroy", "-versions=1", "secret/app")
    meta = t.json("kv metadata get", "secret/app")["data"]
    assert meta["versions"]["1"]["destroyed"] is True and meta["current_version"] == 3

    t.ok("kv", "metadata", "put", "-max-versions=2", "-custom-metadata=owner=me", "secret/app")
    meta = t.json("kv metadata get", "secret/app")["data"]
    assert meta["max_versions"] == 2 and meta["custom_metadata"] == {"owner": "me"}
    t.ok("kv", "metadata", "delete", "secret/app")
    assert t.bao("kv", "get", "secret/app").returncode == 2


def test_kv_v1_mount(dev_target: Any) -> None:
    t = dev_target
    t.ok("secrets", "enable", "-path=kv1", "-version=1", "kv")
    t.ok("kv", "put", "kv1/a", "b=c")
    read = t.json("kv get", "kv1/a")
    assert read["data"] == {"b": "c"}
    assert read["lease_duration"] == 2764800
    assert t.json("kv list", "kv1") == ["a"]  # type: ignore[comparison-overlap]
    t.ok("kv", "delete", "kv1/a")
    assert t.bao("kv", "get", "kv1/a").returncode == 2


def test_kv_policy_allows_and_denies(dev_target: Any) -> None:
    t = dev_target
    policy = 'path "secret/data/team/*" { capabilities = ["read", "create", "update"] }\n'
    t.ok("policy", "write", "team", "-", stdin=policy)
    t.ok("kv", "put", "secret/team/x", "k=v")
    t.ok("kv", "put", "secret/other", "k=v")
    token = t.ok("token", "create", "-policy=team", "-field=token").strip()
    assert t.ok("kv", "get", "-field=k", "secret/team/x", token=token).strip() == "v"
    denied = t.bao("kv", "get", "secret/other", token=token)
    assert denied.returncode == 2 and "permission denied" in denied.stderr


def test_secrets_enable_tune_move_disable(dev_target: Any) -> None:
    t = dev_target
    t.ok("secrets", "enable", "-path=team", "-description=team secrets", "kv-v2")
    t.ok("kv", "put", "team/x", "k=v")
    t.ok("secrets", "tune", "-default-lease-ttl=1h", "team")
    tuned = t.json("read", "sys/mounts/team/tune")["data"]
    assert tuned["default_lease_ttl"] == 3600
    t.ok("secrets", "move", "team", "moved")
    assert t.ok("kv", "get", "-field=k", "moved/x").strip() == "v"
    mounts = t.json("secrets list")
    assert "moved/" in mounts and "team/" not in mounts
    assert mounts["moved/"]["description"] == "team secrets"
    t.ok("secrets", "disable", "moved")
    assert "moved/" not in t.json("secrets list")
    again = t.bao("secrets", "enable", "-path=sys", "kv")
    assert again.returncode == 2
