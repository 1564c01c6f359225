"""`role/` and `role/:role_name`: create, read, update, delete and list roles, the deprecated
`policies`/`period`/`bound_cidr_list` fields, and bad input, as observed on OpenBao 2.7."""

from __future__ import annotations

import pytest
from approle_harness import AppRole, raises_exactly

from strongroom.errors import InvalidRequest
from strongroom.types import JSON


def _role(**overrides: JSON) -> dict[str, JSON]:
    body: dict[str, JSON] = {
        "bind_secret_id": True,
        "local_secret_ids": False,
        "secret_id_bound_cidrs": None,
        "secret_id_num_uses": 0,
        "secret_id_ttl": 0,
        "token_bound_cidrs": [],
        "token_explicit_max_ttl": 0,
        "token_max_ttl": 0,
        "token_no_default_policy": False,
        "token_num_uses": 0,
        "token_period": 0,
        "token_policies": [],
        "token_strictly_bind_ip": False,
        "token_ttl": 0,
        "token_type": "default",
    }
    body.update(overrides)
    return body


async def test_a_new_role_reads_with_openbaos_defaults(approle: AppRole) -> None:
    assert await approle.write("role/r1") is None
    assert await approle.data("role/r1") == _role()


async def test_role_names_fold_to_lower_case(approle: AppRole) -> None:
    await approle.write("role/MyRole", secret_id_ttl="10m")
    assert (await approle.data("role/myrole"))["secret_id_ttl"] == 600
    assert (await approle.data("role/MYROLE/secret-id-ttl")) == {"secret_id_ttl": 600}
    listed = await approle.list("role/")
    assert listed is not None and listed.data == {"keys": ["myrole"]}


async def test_every_field_round_trips(approle: AppRole) -> None:
    await approle.write(
        "role/full",
        bind_secret_id=False,
        secret_id_bound_cidrs="10.0.0.0/8, 127.0.0.1/32",
        secret_id_num_uses=3,
        secret_id_ttl="1h",
        local_secret_ids=True,
        token_ttl="10m",
        token_max_ttl="1h",
        token_policies="a,B",
        token_num_uses=5,
        token_no_default_policy=True,
        token_type="service",
        token_explicit_max_ttl="2h",
        token_bound_cidrs="10.0.0.1/8,::1/128,10.1.2.3/32",
    )
    assert await approle.data("role/full") == _role(
        bind_secret_id=False,
        local_secret_ids=True,
        secret_id_bound_cidrs=["10.0.0.0/8", "127.0.0.1/32"],
        secret_id_num_uses=3,
        secret_id_ttl=3600,
        token_ttl=600,
        token_max_ttl=3600,
        token_policies=["a", "B"],
        token_num_uses=5,
        token_no_default_policy=True,
        token_type="service",
        token_explicit_max_ttl=7200,
        # OpenBao keeps a block as written but prints a host block as the bare address.
        token_bound_cidrs=["10.0.0.1/8", "::1", "10.1.2.3"],
    )


async def test_an_update_changes_only_the_named_fields(approle: AppRole) -> None:
    await approle.write("role/r", secret_id_num_uses=3, token_ttl=60)
    await approle.write("role/r", token_ttl=90)
    data = await approle.data("role/r")
    assert (data["secret_id_num_uses"], data["token_ttl"]) == (3, 90)


async def test_missing_role_reads_as_nothing(approle: AppRole) -> None:
    assert await approle.read("role/nope") is None
    assert await approle.delete("role/nope") is None
    assert await approle.list("role/") is None


async def test_list_is_sorted_and_pages(approle: AppRole) -> None:
    for name in ("c", "a", "d", "b"):
        await approle.write(f"role/{name}")
    full = await approle.list("role")
    assert full is not None and full.data == {"keys": ["a", "b", "c", "d"]}
    paged = await approle.list("role/", after="a", limit=2)
    assert paged is not None and paged.data == {"keys": ["b", "c"]}


async def test_existence_check(approle: AppRole) -> None:
    assert await approle.exists("role/r") is False
    await approle.write("role/r")
    assert await approle.exists("role/R") is True
    assert await approle.exists("role/r/secret-id-ttl") is True
    assert await approle.exists("role/r/local-secret-ids") is None


async def test_delete_removes_the_role_its_role_id_and_secret_ids(approle: AppRole) -> None:
    role_id = await approle.role("r")
    await approle.secret_id("r")
    await approle.delete("role/r")
    assert await approle.read("role/r") is None
    assert set(await approle.stored()) == {"salt"}
    with raises_exactly(InvalidRequest, "invalid role or secret ID"):
        await approle.login(role_id=role_id, secret_id="x")


# -- deprecated fields --------------------------------------------------------------------


async def test_policies_alone_sets_token_policies_sanitised(approle: AppRole) -> None:
    await approle.write("role/r", policies="z,A, ,a")
    data = await approle.data("role/r")
    assert data["policies"] == data["token_policies"] == ["a", "z"]


async def test_root_policy_swallows_the_others(approle: AppRole) -> None:
    await approle.write("role/r", policies="root,A,b")
    assert (await approle.data("role/r/policies")) == {
        "policies": ["root"],
        "token_policies": ["root"],
    }


async def test_token_policies_win_over_policies(approle: AppRole) -> None:
    await approle.write("role/r", token_policies="x", policies="y", token_period=60, period=120)
    data = await approle.data("role/r")
    assert (data["policies"], data["token_policies"]) == (["x"], ["x"])
    assert (data["period"], data["token_period"]) == (60, 60)


async def test_a_write_of_the_new_field_clears_the_deprecated_echo(approle: AppRole) -> None:
    await approle.write("role/r", policies="a", period="1h")
    await approle.write("role/r", token_policies="b")
    data = await approle.data("role/r")
    assert "policies" not in data and data["token_policies"] == ["b"]
    # period was named by neither write: its echo stays
    assert (data["period"], data["token_period"]) == (3600, 3600)
    await approle.write("role/r", token_period=0)
    data = await approle.data("role/r")
    assert "period" not in data and data["token_period"] == 0


async def test_bound_cidr_list_sets_secret_id_bound_cidrs(approle: AppRole) -> None:
    await approle.write("role/r", bound_cidr_list="10.0.0.0/8")
    data = await approle.data("role/r")
    assert data["secret_id_bound_cidrs"] == ["10.0.0.0/8"]
    assert "bound_cidr_list" not in data


# -- role_id ---------------------------------------------------------------------------------


async def test_role_id_is_a_uuid_unless_given(approle: AppRole) -> None:
    generated = await approle.role("gen")
    assert len(generated) == 36 and generated.count("-") == 4
    assert await approle.role("custom", role_id="custom-rid") == "custom-rid"


async def test_role_id_must_be_unique(approle: AppRole) -> None:
    await approle.role("one", role_id="shared")
    with raises_exactly(InvalidRequest, "role_id already in use"):
        await approle.write("role/two", role_id="shared")
    assert await approle.read("role/two") is None
    await approle.write("role/one", role_id="shared")  # its own role_id again is fine


async def test_empty_role_id_is_refused(approle: AppRole) -> None:
    with raises_exactly(
        InvalidRequest, "invalid role_id supplied, or failed to generate a role_id"
    ):
        await approle.write("role/r", role_id="")
    assert await approle.read("role/r") is None


async def test_changing_role_id_moves_the_login_index(approle: AppRole) -> None:
    await approle.role("r", role_id="old", bind_secret_id=False, token_bound_cidrs="127.0.0.1")
    await approle.write("role/r", role_id="new")
    with raises_exactly(InvalidRequest, "invalid role or secret ID"):
        await approle.login(role_id="old")
    assert (await approle.login(role_id="new")).alias_name == "new"


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"secret_id_num_uses": -1}, "secret_id_num_uses cannot be negative"),
        ({"token_num_uses": -1}, "'token_num_uses' cannot be negative"),
        (
            {"secret_id_ttl": -5},
            'error converting input for field "secret_id_ttl": cannot provide negative '
            "value '-5'",
        ),
        (
            {"token_ttl": "-1s"},
            "error converting input for field \"token_ttl\": cannot provide negative value '-1'",
        ),
        ({"bind_secret_id": False}, "at least one constraint should be enabled on the role"),
        (
            {"secret_id_bound_cidrs": "bad"},
            "failed to validate CIDR blocks: invalid CIDR address: bad",
        ),
        (
            {"secret_id_bound_cidrs": ["10.0.0.0/8", 5]},
            "failed to validate CIDR blocks: invalid CIDR address: 5",
        ),
        (
            {"secret_id_bound_cidrs": "10.0.0.1"},
            "failed to validate CIDR blocks: invalid CIDR address: 10.0.0.1",
        ),
        (
            {"token_bound_cidrs": "bad"},
            'error parsing address "bad": Unable to convert "bad" to an IPv4 or IPv6 address, '
            "or a UNIX Socket",
        ),
        (
            {"token_ttl": 100, "token_max_ttl": 50},
            "'token_ttl' cannot be greater than 'token_max_ttl'",
        ),
        (
            {"token_type": "batch", "token_period": 10},
            "'token_type' cannot be 'batch' or 'default_batch' when set to generate periodic "
            "tokens",
        ),
        (
            {"token_strictly_bind_ip": True, "token_bound_cidrs": "10.0.0.0/8"},
            "'token_strictly_bind_ip' conflicts with 'token_bound_cidrs'; set only one",
        ),
    ],
)
async def test_bad_values_are_400s(approle: AppRole, body: dict[str, JSON], message: str) -> None:
    with raises_exactly(InvalidRequest, message):
        await approle.write("role/bad", **body)
    assert await approle.read("role/bad") is None


@pytest.mark.parametrize(
    "body",
    [
        {"secret_id_num_uses": "abc"},
        {"secret_id_ttl": "xyz"},
        {"bind_secret_id": "maybe"},
        {"local_secret_ids": "x"},
        {"period": "x"},
        {"policies": {"a": 1}},
        {"token_type": "foo"},
        {"token_ttl": [1]},
        {"token_bound_cidrs": {"a": "b"}},
        {"secret_id_bound_cidrs": {"a": "b"}},
    ],
)
async def test_badly_typed_values_are_400s_never_500s(
    approle: AppRole, body: dict[str, JSON]
) -> None:
    with pytest.raises(InvalidRequest):
        await approle.write("role/bad", **body)


async def test_local_secret_ids_is_fixed_at_creation(approle: AppRole) -> None:
    await approle.write("role/r", local_secret_ids=True)
    assert await approle.data("role/r/local-secret-ids") == {"local_secret_ids": True}
    for value in (True, False):
        with raises_exactly(
            InvalidRequest, "local_secret_ids can only be modified during role creation"
        ):
            await approle.write("role/r", local_secret_ids=value)


async def test_a_role_without_secret_id_needs_another_constraint(approle: AppRole) -> None:
    await approle.write("role/r", bind_secret_id=False, token_bound_cidrs="127.0.0.1/32")
    with raises_exactly(InvalidRequest, "at least one constraint should be enabled on the role"):
        await approle.write("role/r", token_bound_cidrs="")
    await approle.write("role/r", secret_id_bound_cidrs="10.0.0.0/8", token_bound_cidrs="")
    assert (await approle.data("role/r"))["token_bound_cidrs"] == []
