"""userpass and AppRole logins, and their leases, with the real `bao` CLI and hvac, against
Strongroom and OpenBao alike."""

from __future__ import annotations

import json
import time
from typing import Any

import hvac
import pytest
from hvac import exceptions

pytestmark = [pytest.mark.compat, pytest.mark.slow]


def _wait_gone(t: Any, prefix: str) -> None:
    deadline = time.monotonic() + 10  # OpenBao revokes asynchronously
    while t.bao("list", f"sys/leases/lookup/{prefix}").returncode == 0:
        assert time.monotonic() < deadline, f"leases under {prefix} were not revoked"
        time.sleep(0.2)


def test_userpass_login_with_the_cli_and_lease_revoke_prefix(dev_target: Any) -> None:
    t = dev_target
    t.ok("auth", "enable", "userpass")
    t.ok(
        "write", "auth/userpass/users/bob", "password=pw", "token_policies=default", "token_ttl=1h"
    )
    login = json.loads(
        t.ok(
            "login",
            "-method=userpass",
            "-format=json",
            "-no-store",
            "username=bob",
            "password=pw",
            token="",
        )
    )
    auth = login["auth"]
    assert auth["policies"] == ["default"] and auth["lease_duration"] == 3600
    assert auth["metadata"] == {"username": "bob"} and auth["entity_id"]
    wrong = t.bao(
        "login", "-method=userpass", "-no-store", "username=bob", "password=nope", token=""
    )
    assert wrong.returncode == 2 and "invalid username or password" in wrong.stderr
    leases = json.loads(t.ok("list", "-format=json", "sys/leases/lookup/auth/userpass/login/bob"))
    assert len(leases) == 1
    lease_id = "auth/userpass/login/bob/" + leases[0]
    assert t.json("lease lookup", lease_id)["data"]["id"] == lease_id
    t.ok("lease", "revoke", "-prefix", "auth/userpass/login")
    _wait_gone(t, "auth/userpass/login/bob")
    assert t.bao("token", "lookup", token=auth["client_token"]).returncode == 2


def test_userpass_with_hvac(dev_target: Any) -> None:
    client = hvac.Client(url=dev_target.address, token="root")
    client.sys.enable_auth_method("userpass")
    client.auth.userpass.create_or_update_user("alice", password="s3cret", policies=["default"])
    assert client.auth.userpass.read_user("alice")["data"]["token_policies"] == ["default"]
    assert "alice" in client.auth.userpass.list_user()["data"]["keys"]
    user = hvac.Client(url=dev_target.address)
    result = user.auth.userpass.login("alice", "s3cret")
    assert result["auth"]["client_token"] and user.is_authenticated()
    with pytest.raises(exceptions.InvalidRequest):
        hvac.Client(url=dev_target.address).auth.userpass.login("alice", "wrong")
    client.auth.userpass.update_password_on_user("alice", "n3w")
    assert hvac.Client(url=dev_target.address).auth.userpass.login("alice", "n3w")["auth"]


def test_approle_with_the_cli_and_hvac(dev_target: Any) -> None:
    t = dev_target
    t.ok("auth", "enable", "approle")
    t.ok(
        "write",
        "auth/approle/role/app",
        "token_policies=default",
        "secret_id_num_uses=1",
        "token_ttl=10m",
    )
    role_id = t.json("read", "auth/approle/role/app/role-id")["data"]["role_id"]  # type: ignore[index]
    secret = t.json("write", "-f", "auth/approle/role/app/secret-id")["data"]  # type: ignore[index]
    login = t.json(
        "write",
        "auth/approle/login",
        f"role_id={role_id}",
        f"secret_id={secret['secret_id']}",
        token="",
    )
    assert login["auth"]["policies"] == ["default"] and login["auth"]["lease_duration"] == 600  # type: ignore[index]
    again = t.bao(
        "write",
        "auth/approle/login",
        f"role_id={role_id}",
        f"secret_id={secret['secret_id']}",
        token="",
    )
    assert again.returncode == 2  # the secret ID had one use

    client = hvac.Client(url=t.address, token="root")
    client.auth.approle.create_or_update_approle("svc", token_policies=["default"], token_ttl="5m")
    rid = client.auth.approle.read_role_id("svc")["data"]["role_id"]
    sid = client.auth.approle.generate_secret_id("svc")["data"]["secret_id"]
    app = hvac.Client(url=t.address)
    app.auth.approle.login(role_id=rid, secret_id=sid)
    assert app.is_authenticated()
    with pytest.raises(exceptions.InvalidRequest):
        hvac.Client(url=t.address).auth.approle.login(role_id=rid, secret_id="nope")


def test_wrapping_with_hvac(dev_target: Any) -> None:
    client = hvac.Client(url=dev_target.address, token="root")
    wrapped = client.sys.wrap(payload={"k": "v"}, ttl="60s")
    token = wrapped["wrap_info"]["token"]
    assert client.sys.unwrap(token)["data"] == {"k": "v"}
    with pytest.raises(exceptions.InvalidRequest):
        client.sys.unwrap(token)
