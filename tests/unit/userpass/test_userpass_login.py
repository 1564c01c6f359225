"""`login/:username`: the Auth a good login returns, the errors of a bad one (same status,
text and work for an unknown user as for a wrong password), bound CIDRs and strict IP
binding, as observed on OpenBao 2.7."""

from __future__ import annotations

import re

import pytest
from userpass_harness import TEST_COST, UP, raises_exactly

from strongroom.auth.userpass._messages import (
    ERR_INVALID_CREDENTIALS,
    ERR_MISSING_PASSWORD,
    ERR_ROOT_TOKEN,
)
from strongroom.errors import InvalidRequest, PermissionDenied
from strongroom.logical import Auth, Operation


async def test_good_login_returns_the_users_auth(up: UP) -> None:
    await up.create(
        "alice",
        password="pw",
        token_policies="b,a,b",
        token_ttl="10m",
        token_max_ttl="1h",
        token_period="5m",
        token_explicit_max_ttl="2h",
        token_num_uses=4,
        token_no_default_policy=True,
        token_bound_cidrs="127.0.0.0/8",
    )
    response = await up.login("alice", password="pw")
    assert response.data is None
    assert response.auth == Auth(
        policies=("a", "b"),
        token_policies=("a", "b"),
        metadata={"username": "alice"},
        lease_duration=600,
        renewable=True,
        token_type="service",
        num_uses=4,
        period=300,
        explicit_max_ttl=7200,
        max_ttl=3600,
        no_default_policy=True,
        bound_cidrs=("127.0.0.0/8",),
        display_name="alice",
        alias_name="alice",
    )
    assert response.auth.client_token == ""  # the core creates the token


async def test_login_lowercases_the_username(up: UP) -> None:
    await up.create("alice", password="pw")
    auth = (await up.login("ALICE", password="pw")).auth
    assert auth is not None
    assert (auth.display_name, auth.alias_name, dict(auth.metadata)) == (
        "alice",
        "alice",
        {"username": "alice"},
    )


async def test_login_policies_are_parsed_policy_names(up: UP) -> None:
    # vault-compat: OpenBao logs "Zed,b,a,a," in as ["a", "b", "zed"] (plus default, added
    # by the core).
    await up.create("alice", password="pw", token_policies=["Zed", "b", "a", "a", " "])
    auth = (await up.login("alice", password="pw")).auth
    assert auth is not None
    assert auth.policies == auth.token_policies == ("a", "b", "zed")


@pytest.mark.parametrize(("token_type", "issued"), [("default", "service"), ("batch", "batch")])
async def test_login_token_type(up: UP, token_type: str, issued: str) -> None:
    await up.create("alice", password="pw", token_type=token_type)
    auth = (await up.login("alice", password="pw")).auth
    assert auth is not None
    assert auth.token_type == issued


async def test_wrong_password(up: UP) -> None:
    await up.create("alice", password="pw")
    with raises_exactly(InvalidRequest, ERR_INVALID_CREDENTIALS):
        await up.login("alice", password="nope")


async def test_unknown_user(up: UP) -> None:
    with raises_exactly(InvalidRequest, ERR_INVALID_CREDENTIALS):
        await up.login("nobody", password="pw")


async def test_password_over_72_bytes_is_just_a_wrong_password(up: UP) -> None:
    await up.create("alice", password="x" * 72)
    with raises_exactly(InvalidRequest, ERR_INVALID_CREDENTIALS):
        await up.login("alice", password="x" * 73)
    assert up.hasher.verifies == 1


@pytest.mark.parametrize("body", [{}, {"password": ""}])
async def test_missing_password(up: UP, body: dict[str, str]) -> None:
    # OpenBao answers 500 "missing password"; a client error is a 400 here.
    await up.create("alice", password="pw")
    for username in ("alice", "nobody"):
        with raises_exactly(InvalidRequest, ERR_MISSING_PASSWORD):
            await up.login(username, **body)
    assert up.hasher.verifies == 0


async def test_bad_logins_do_the_same_work_as_a_good_one(up: UP) -> None:
    """No timing oracle: a good login, a wrong password and an unknown user each run exactly
    one bcrypt verification, at the same cost."""
    await up.create("alice", password="pw")
    counts = []
    for username, password in (("alice", "pw"), ("alice", "nope"), ("nobody", "pw")):
        before = up.hasher.verifies
        try:
            await up.login(username, password=password)
        except InvalidRequest:
            pass
        counts.append(up.hasher.verifies - before)
    assert counts == [1, 1, 1]


async def test_the_dummy_hash_is_made_once_per_backend_at_the_users_cost(up: UP) -> None:
    await up.create("alice", password="pw")
    hashes = up.hasher.hashes
    for _ in range(3):
        with pytest.raises(InvalidRequest):
            await up.login("nobody", password="pw")
    await up.login("alice", password="pw")
    assert up.hasher.hashes == hashes + 1
    dummy = up.hasher.produced[-1]
    assert re.fullmatch(rf"\$2b\${TEST_COST:02d}\$.{{53}}", dummy)
    # every unknown-user login was checked against that dummy, at the users' cost
    assert up.hasher.verified_against[:3] == [dummy] * 3


async def test_verification_runs_off_the_event_loop_thread(up: UP) -> None:
    import threading

    await up.create("alice", password="pw")
    up.hasher.threads.clear()
    await up.login("alice", password="pw")
    assert up.hasher.threads
    assert threading.get_ident() not in up.hasher.threads


async def test_bound_cidrs(up: UP) -> None:
    await up.create("alice", password="pw", token_bound_cidrs="10.0.0.0/8,::1")
    assert (await up.login("alice", password="pw", remote_addr="10.1.2.3")).auth is not None
    assert (await up.login("alice", password="pw", remote_addr="::1")).auth is not None
    with raises_exactly(PermissionDenied, "permission denied"):
        await up.login("alice", password="pw", remote_addr="192.168.0.1")
    with raises_exactly(PermissionDenied, "permission denied"):
        await up.login("alice", password="pw", remote_addr="")
    # vault-compat: the password is checked first; a wrong one from outside is still a 400.
    with raises_exactly(InvalidRequest, ERR_INVALID_CREDENTIALS):
        await up.login("alice", password="nope", remote_addr="192.168.0.1")


async def test_strictly_bind_ip_binds_the_token_to_the_login_address(up: UP) -> None:
    await up.create("alice", password="pw", token_strictly_bind_ip=True)
    auth = (await up.login("alice", password="pw", remote_addr="10.9.8.7")).auth
    assert auth is not None
    assert auth.bound_cidrs == ("10.9.8.7",)
    with raises_exactly(PermissionDenied, "permission denied"):
        await up.login("alice", password="pw", remote_addr="")


async def test_no_login_yields_a_root_token(up: UP) -> None:
    await up.create("alice", password="pw", token_policies="root")
    with raises_exactly(InvalidRequest, ERR_ROOT_TOKEN):
        await up.login("alice", password="pw")
    await up.update("users/alice", token_policies="Root,a")
    with raises_exactly(InvalidRequest, ERR_ROOT_TOKEN):
        await up.login("alice", password="pw")


async def test_login_warns_about_unknown_fields(up: UP) -> None:
    await up.create("alice", password="pw")
    response = await up.login("alice", password="pw", extra=1)
    assert response.warnings == ("Endpoint ignored these unrecognized parameters: [extra]",)


async def test_alias_lookahead(up: UP) -> None:
    response = await up.call(Operation.ALIAS_LOOKAHEAD, "login/Alice")
    assert response is not None
    assert response.auth == Auth(alias_name="alice")
    assert up.hasher.verifies == 0


async def test_backend_shape(up: UP) -> None:
    assert up.backend.backend_type == "credential"
    assert up.backend.special_paths.is_unauthenticated("login/alice")
    assert not up.backend.special_paths.is_unauthenticated("users/alice")
