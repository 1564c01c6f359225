"""`login`: the Auth a successful login returns, every refusal with OpenBao's text, secret ID
use limits and expiry under FakeClock, CIDR bindings, and concurrent logins."""

from __future__ import annotations

import asyncio

import pytest
from approle_harness import AppRole, YieldingStorage, raises_exactly

from strongroom.auth.approle import approle_backend
from strongroom.auth.approle._context import AppRoleContext
from strongroom.errors import InvalidRequest
from strongroom.logical import Auth, Operation, Response
from strongroom.testing.clock import FakeClock
from strongroom.types import JSON

INVALID = "invalid role or secret ID"


async def test_login_returns_the_roles_token_settings(approle: AppRole) -> None:
    role_id = await approle.role(
        "web",
        token_policies="b,a",
        token_ttl="1h",
        token_max_ttl="2h",
        token_num_uses=4,
        token_explicit_max_ttl="3h",
        token_no_default_policy=True,
        token_type="service",  # batch tokens cannot have a use limit
    )
    secret, _ = await approle.secret_id("web", metadata="x=y")
    auth = await approle.login(role_id=role_id, secret_id=secret)
    assert auth == Auth(
        policies=("a", "b"),
        token_policies=("a", "b"),
        metadata={"x": "y", "role_name": "web"},
        lease_duration=3600,
        renewable=True,
        token_type="service",
        num_uses=4,
        explicit_max_ttl=10800,
        max_ttl=7200,
        no_default_policy=True,
        # vault-compat: OpenBao sets no display name; the core shows the mount's ("approle")
        display_name="",
        alias_name=role_id,
        internal_data={"role_name": "web"},
    )
    assert auth.client_token == ""  # the core creates the token


async def test_role_name_in_metadata_cannot_be_spoofed(approle: AppRole) -> None:
    role_id = await approle.role("r")
    secret, _ = await approle.secret_id("r", metadata='{"role_name":"admin","team":"x"}')
    auth = await approle.login(role_id=role_id, secret_id=secret)
    assert auth.metadata == {"role_name": "r", "team": "x"}


async def test_periodic_role(approle: AppRole) -> None:
    role_id = await approle.role("r", period="1h")
    secret, _ = await approle.secret_id("r")
    assert (await approle.login(role_id=role_id, secret_id=secret)).period == 3600


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "missing role_id"),
        ({"role_id": ""}, "missing role_id"),
        ({"role_id": "nope", "secret_id": "x"}, INVALID),
        ({"role_id": 5}, INVALID),
        ({"role_id": "{rid}"}, "missing secret_id"),
        ({"role_id": "{rid}", "secret_id": ""}, "missing secret_id"),
        ({"role_id": "{rid}", "secret_id": "nope"}, INVALID),
        ({"role_id": "{rid}", "secret_id": "{sid} "}, INVALID),
        ({"role_id": "{rid} ", "secret_id": "{sid}"}, INVALID),
    ],
)
async def test_refusals(approle: AppRole, body: dict[str, JSON], message: str) -> None:
    role_id = await approle.role("r")
    secret, _ = await approle.secret_id("r")
    filled = {
        k: v.replace("{rid}", role_id).replace("{sid}", secret) if isinstance(v, str) else v
        for k, v in body.items()
    }
    with raises_exactly(InvalidRequest, message):
        await approle.login(**filled)


async def test_badly_typed_secret_id_is_a_400(approle: AppRole) -> None:
    role_id = await approle.role("r")
    with pytest.raises(InvalidRequest):
        await approle.login(role_id=role_id, secret_id={})


async def test_num_uses_count_down_then_the_secret_id_is_gone(approle: AppRole) -> None:
    role_id = await approle.role("r")
    secret, accessor = await approle.secret_id("r", num_uses=2)
    approle.clock.advance(5)
    await approle.login(role_id=role_id, secret_id=secret)
    looked_up = await approle.written("role/r/secret-id/lookup", secret_id=secret)
    assert looked_up["secret_id_num_uses"] == 1
    assert looked_up["last_updated_time"] == "2027-01-15T08:00:05Z"
    assert looked_up["creation_time"] == "2027-01-15T08:00:00Z"
    await approle.login(role_id=role_id, secret_id=secret)
    assert await approle.write("role/r/secret-id/lookup", secret_id=secret) is None
    response = await approle.write("role/r/secret-id-accessor/lookup", secret_id_accessor=accessor)
    assert response is not None and response.status == 404
    assert await approle.list("role/r/secret-id") is None
    with raises_exactly(InvalidRequest, INVALID):
        await approle.login(role_id=role_id, secret_id=secret)


async def test_unlimited_secret_id_is_never_spent(approle: AppRole) -> None:
    role_id = await approle.role("r")
    secret, _ = await approle.secret_id("r")
    for _ in range(3):
        await approle.login(role_id=role_id, secret_id=secret)
    looked_up = await approle.written("role/r/secret-id/lookup", secret_id=secret)
    assert looked_up["secret_id_num_uses"] == 0


async def test_secret_id_expires_after_its_ttl(approle: AppRole) -> None:
    role_id = await approle.role("r", secret_id_ttl="1m")
    secret, _ = await approle.secret_id("r")
    approle.clock.advance(60)
    await approle.login(role_id=role_id, secret_id=secret)
    approle.clock.advance(1)
    with raises_exactly(InvalidRequest, INVALID):
        await approle.login(role_id=role_id, secret_id=secret)


async def test_secret_id_cidrs(approle: AppRole) -> None:
    role_id = await approle.role("r")
    secret, _ = await approle.secret_id("r", cidr_list="10.0.0.0/8", num_uses=2)
    with raises_exactly(
        InvalidRequest,
        'source address "127.0.0.1" unauthorized through CIDR restrictions on the secret ID',
    ):
        await approle.login(role_id=role_id, secret_id=secret)
    # a refused login spends nothing
    looked_up = await approle.written("role/r/secret-id/lookup", secret_id=secret)
    assert looked_up["secret_id_num_uses"] == 2
    await approle.login(remote="10.1.2.3", role_id=role_id, secret_id=secret)


async def test_role_cidrs(approle: AppRole) -> None:
    role_id = await approle.role("r", secret_id_bound_cidrs="10.0.0.0/8")
    secret, _ = await approle.secret_id("r", num_uses=1)
    # a bad secret ID is reported before the role's CIDRs are checked
    with raises_exactly(InvalidRequest, INVALID):
        await approle.login(role_id=role_id, secret_id="nope")
    with raises_exactly(InvalidRequest, "missing secret_id"):
        await approle.login(role_id=role_id)
    with raises_exactly(
        InvalidRequest, 'source address "127.0.0.1" unauthorized by CIDR restrictions on the role'
    ):
        await approle.login(role_id=role_id, secret_id=secret)
    with raises_exactly(
        InvalidRequest, 'source address "" unauthorized by CIDR restrictions on the role'
    ):
        await approle.login(remote="", role_id=role_id, secret_id=secret)
    await approle.login(remote="10.9.9.9", role_id=role_id, secret_id=secret)


async def test_login_without_secret_id(approle: AppRole) -> None:
    role_id = await approle.role(
        "r", bind_secret_id=False, secret_id_bound_cidrs="127.0.0.0/8", token_policies="p1"
    )
    auth = await approle.login(role_id=role_id)
    assert auth.policies == ("p1",) and auth.metadata == {"role_name": "r"}
    await approle.login(role_id=role_id, secret_id="garbage")  # ignored
    with raises_exactly(
        InvalidRequest, 'source address "192.168.1.1" unauthorized by CIDR restrictions on the role'
    ):
        await approle.login(remote="192.168.1.1", role_id=role_id)


async def test_token_bound_cidrs_of_the_secret_id_win(approle: AppRole) -> None:
    role_id = await approle.role("r", token_bound_cidrs="127.0.0.0/8")
    plain, _ = await approle.secret_id("r")
    narrow, _ = await approle.secret_id("r", token_bound_cidrs="127.0.0.1/32")
    assert (await approle.login(role_id=role_id, secret_id=plain)).bound_cidrs == ("127.0.0.0/8",)
    assert (await approle.login(role_id=role_id, secret_id=narrow)).bound_cidrs == ("127.0.0.1",)


async def test_strictly_bound_tokens_are_bound_to_the_login_address(approle: AppRole) -> None:
    role_id = await approle.role("r", token_strictly_bind_ip=True)
    secret, _ = await approle.secret_id("r")
    auth = await approle.login(remote="10.0.0.7", role_id=role_id, secret_id=secret)
    assert auth.bound_cidrs == ("10.0.0.7",)


async def test_role_changes_apply_to_the_next_login(approle: AppRole) -> None:
    role_id = await approle.role("r", token_policies="a")
    secret, _ = await approle.secret_id("r")
    await approle.write("role/r/policies", token_policies="b")
    assert (await approle.login(role_id=role_id, secret_id=secret)).policies == ("b",)
    await approle.delete("role/r")
    with raises_exactly(InvalidRequest, INVALID):
        await approle.login(role_id=role_id, secret_id=secret)


async def test_login_on_an_empty_mount_writes_nothing(approle: AppRole) -> None:
    with raises_exactly(InvalidRequest, INVALID):
        await approle.login(role_id="x", secret_id="y")
    assert await approle.stored() == {}


async def test_login_is_unauthenticated() -> None:
    backend = approle_backend(clock=FakeClock())
    assert backend.special_paths.is_unauthenticated("login")
    assert not backend.special_paths.is_unauthenticated("role/r")
    assert backend.backend_type == "credential"


# -- concurrency -----------------------------------------------------------------------------


async def _race(approle: AppRole, logins: int) -> list[Response | BaseException | None]:
    """Fire `logins` concurrent logins with one single-use secret ID."""
    role_id = await approle.role("r")
    secret, _ = await approle.secret_id("r", num_uses=1)
    attempts = [
        approle.call(Operation.UPDATE, "login", role_id=role_id, secret_id=secret)
        for _ in range(logins)
    ]
    return await asyncio.gather(*attempts, return_exceptions=True)


async def test_a_one_use_secret_id_logs_in_once(clock: FakeClock) -> None:
    approle = AppRole(approle_backend(clock=clock), YieldingStorage(), clock)
    results = await _race(approle, 5)
    successes = [r for r in results if isinstance(r, Response) and r.auth is not None]
    failures = [r for r in results if isinstance(r, InvalidRequest)]
    assert len(successes) == 1
    assert len(failures) == 4 and all(f.messages == [INVALID] for f in failures)


async def test_the_race_is_real_without_the_role_lock(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the test above: with the role lock disabled, the yielding storage lets several
    logins spend the same single use."""
    monkeypatch.setattr(AppRoleContext, "role_lock", lambda self, name: _Null())
    approle = AppRole(approle_backend(clock=clock), YieldingStorage(), clock)
    results = await _race(approle, 5)
    assert sum(1 for r in results if isinstance(r, Response)) > 1


class _Null:
    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None
