"""`role/:role_name/<field>` sub-paths: read, update and reset (DELETE) one setting each;
missing roles and bad values, as observed on OpenBao 2.7."""

from __future__ import annotations

import pytest
from approle_harness import AppRole, raises_exactly

from strongroom.auth.approle.path_role_fields import ROLE_FIELD_PATHS, RoleField
from strongroom.errors import InvalidRequest, NotFound, UnsupportedOperation
from strongroom.types import JSON

# (sub-path, value written, body read back after the write, body read after DELETE)
CASES: list[tuple[str, dict[str, JSON], dict[str, JSON], dict[str, JSON]]] = [
    (
        "secret-id-num-uses",
        {"secret_id_num_uses": 4},
        {"secret_id_num_uses": 4},
        {"secret_id_num_uses": 0},
    ),
    ("secret-id-ttl", {"secret_id_ttl": "1h"}, {"secret_id_ttl": 3600}, {"secret_id_ttl": 0}),
    ("token-ttl", {"token_ttl": "5m"}, {"token_ttl": 300}, {"token_ttl": 0}),
    ("token-max-ttl", {"token_max_ttl": 60}, {"token_max_ttl": 60}, {"token_max_ttl": 0}),
    ("token-num-uses", {"token_num_uses": 3}, {"token_num_uses": 3}, {"token_num_uses": 0}),
    (
        "bind-secret-id",
        {"bind_secret_id": False},
        {"bind_secret_id": False},
        {"bind_secret_id": True},
    ),
    (
        "secret-id-bound-cidrs",
        {"secret_id_bound_cidrs": "10.0.0.0/8, 127.0.0.1/32"},
        {"secret_id_bound_cidrs": ["10.0.0.0/8", "127.0.0.1/32"]},
        {"secret_id_bound_cidrs": None},
    ),
    (
        "token-bound-cidrs",
        {"token_bound_cidrs": "10.0.0.1,10.0.0.0/8"},
        {"token_bound_cidrs": ["10.0.0.1", "10.0.0.0/8"]},
        {"token_bound_cidrs": None},
    ),
    (
        "policies",
        {"token_policies": "b,a"},
        {"token_policies": ["b", "a"]},
        {"token_policies": []},
    ),
    ("period", {"token_period": "2m"}, {"token_period": 120}, {"token_period": 0}),
]


@pytest.mark.parametrize(("sub", "body", "after_write", "after_delete"), CASES)
async def test_write_read_reset(
    approle: AppRole,
    sub: str,
    body: dict[str, JSON],
    after_write: dict[str, JSON],
    after_delete: dict[str, JSON],
) -> None:
    await approle.write("role/r", token_bound_cidrs="127.0.0.1")
    if sub == "token-bound-cidrs":
        await approle.write("role/r", token_bound_cidrs="")
    assert await approle.write(f"role/r/{sub}", **body) is None
    assert await approle.data(f"role/r/{sub}") == after_write
    assert await approle.delete(f"role/r/{sub}") is None
    assert await approle.data(f"role/r/{sub}") == after_delete


@pytest.mark.parametrize(
    ("sub", "message"),
    [
        ("secret-id-num-uses", "missing secret_id_num_uses"),
        ("secret-id-ttl", "missing secret_id_ttl"),
        ("token-ttl", "missing token_ttl"),
        ("token-max-ttl", "missing token_max_ttl"),
        ("token-num-uses", "missing token_num_uses"),
        ("bind-secret-id", "missing bind_secret_id"),
        ("policies", "missing token_policies"),
        ("period", "missing period"),
        ("role-id", "missing role_id"),
    ],
)
async def test_write_without_the_value(approle: AppRole, sub: str, message: str) -> None:
    await approle.write("role/r")
    with raises_exactly(InvalidRequest, message):
        await approle.write(f"role/r/{sub}")


@pytest.mark.parametrize("sub", ["secret-id-bound-cidrs", "token-bound-cidrs", "bound-cidr-list"])
async def test_cidr_write_without_the_value_changes_nothing(approle: AppRole, sub: str) -> None:
    await approle.write(
        "role/r", secret_id_bound_cidrs="10.0.0.0/8", token_bound_cidrs="10.0.0.0/8"
    )
    before = await approle.data("role/r")
    assert await approle.write(f"role/r/{sub}") is None
    assert await approle.data("role/r") == before


@pytest.mark.parametrize("spec", ROLE_FIELD_PATHS, ids=lambda s: s.suffix)
async def test_missing_role(approle: AppRole, spec: RoleField) -> None:
    assert await approle.read(f"role/nope/{spec.suffix}") is None
    if spec.update is not None:
        with raises_exactly(NotFound, "unsupported path"):
            await approle.write(f"role/nope/{spec.suffix}", role_id="x", token_policies="d")
    if spec.reset is not None:
        assert await approle.delete(f"role/nope/{spec.suffix}") is None
    assert await approle.read("role/nope") is None


async def test_read_only_and_undeletable_sub_paths(approle: AppRole) -> None:
    await approle.write("role/r")
    with pytest.raises(UnsupportedOperation):
        await approle.write("role/r/local-secret-ids", local_secret_ids=True)
    with pytest.raises(UnsupportedOperation):
        await approle.delete("role/r/role-id")


async def test_token_ttl_against_max(approle: AppRole) -> None:
    await approle.write("role/r", token_max_ttl=10)
    with raises_exactly(InvalidRequest, "token_ttl should not be greater than token_max_ttl"):
        await approle.write("role/r/token-ttl", token_ttl=20)
    await approle.write("role/r/token-ttl", token_ttl=5)
    with raises_exactly(
        InvalidRequest, "token_max_ttl should be greater than or equal to token_ttl"
    ):
        await approle.write("role/r/token-max-ttl", token_max_ttl=1)
    await approle.write("role/r/token-max-ttl", token_max_ttl=0)


@pytest.mark.parametrize(
    ("sub", "body", "message"),
    [
        ("secret-id-num-uses", {"secret_id_num_uses": -2}, "secret_id_num_uses cannot be negative"),
        ("token-num-uses", {"token_num_uses": -1}, "'token_num_uses' cannot be negative"),
        (
            "secret-id-ttl",
            {"secret_id_ttl": "-1"},
            'error converting input for field "secret_id_ttl": cannot provide negative '
            "value '-1'",
        ),
        (
            "period",
            {"period": "-1"},
            "error converting input for field \"period\": cannot provide negative value '-1'",
        ),
        (
            "secret-id-bound-cidrs",
            {"secret_id_bound_cidrs": "10.0.0.1"},
            "failed to validate CIDR blocks: invalid CIDR address: 10.0.0.1",
        ),
        (
            "token-bound-cidrs",
            {"token_bound_cidrs": "bad"},
            'failed to parse token_bound_cidrs: error parsing address "bad": Unable to convert '
            '"bad" to an IPv4 or IPv6 address, or a UNIX Socket',
        ),
    ],
)
async def test_bad_values(approle: AppRole, sub: str, body: dict[str, JSON], message: str) -> None:
    await approle.write("role/r")
    with raises_exactly(InvalidRequest, message):
        await approle.write(f"role/r/{sub}", **body)


async def test_bound_cidr_list_is_an_alias_with_a_warning(approle: AppRole) -> None:
    await approle.write("role/r")
    await approle.write("role/r/bound-cidr-list", bound_cidr_list="192.168.0.0/16")
    assert await approle.data("role/r/secret-id-bound-cidrs") == {
        "secret_id_bound_cidrs": ["192.168.0.0/16"]
    }
    response = await approle.read("role/r/bound-cidr-list")
    assert response is not None
    assert response.data == {"bound_cidr_list": ["192.168.0.0/16"]}
    assert response.warnings == (
        'The "bound_cidr_list" field is deprecated and will be removed. '
        'Please use "secret_id_bound_cidrs" instead.',
    )
    await approle.delete("role/r/bound-cidr-list")
    assert await approle.data("role/r/secret-id-bound-cidrs") == {"secret_id_bound_cidrs": None}


async def test_policies_sub_path_and_the_deprecated_echo(approle: AppRole) -> None:
    await approle.write("role/r")
    await approle.write("role/r/policies", policies="A,b", token_policies="c")
    assert await approle.data("role/r/policies") == {"policies": ["c"], "token_policies": ["c"]}
    await approle.write("role/r/policies", policies="B,a")
    assert await approle.data("role/r/policies") == {
        "policies": ["a", "b"],
        "token_policies": ["a", "b"],
    }
    await approle.write("role/r/period", period="1m")  # leaves the policies echo alone
    await approle.write("role/r/policies", token_policies="d")
    assert await approle.data("role/r/policies") == {"token_policies": ["d"]}
    assert await approle.data("role/r/period") == {"period": 60, "token_period": 60}
    await approle.delete("role/r/period")
    assert await approle.data("role/r/period") == {"token_period": 0}


async def test_period_sub_path(approle: AppRole) -> None:
    await approle.write("role/r")
    await approle.write("role/r/period", period="3m", token_period="4m")
    assert await approle.data("role/r/period") == {"period": 240, "token_period": 240}
    await approle.write("role/r/period", token_period="2m")
    assert await approle.data("role/r/period") == {"token_period": 120}


async def test_role_id_sub_path(approle: AppRole) -> None:
    await approle.role("one", role_id="taken")
    await approle.role("two")
    with raises_exactly(InvalidRequest, "role_id already in use"):
        await approle.write("role/two/role-id", role_id="taken")
    with raises_exactly(InvalidRequest, "missing role_id"):
        await approle.write("role/two/role-id", role_id="")
    await approle.write("role/two/role-id", role_id="fresh")
    assert await approle.data("role/two/role-id") == {"role_id": "fresh"}


async def test_removing_the_last_constraint_is_refused(approle: AppRole) -> None:
    await approle.write("role/r", bind_secret_id=False, token_bound_cidrs="127.0.0.1/32")
    with raises_exactly(InvalidRequest, "at least one constraint should be enabled on the role"):
        await approle.delete("role/r/token-bound-cidrs")
    assert await approle.data("role/r/token-bound-cidrs") == {"token_bound_cidrs": ["127.0.0.1"]}
    await approle.delete("role/r/bind-secret-id")
    await approle.delete("role/r/token-bound-cidrs")
    assert await approle.data("role/r/bind-secret-id") == {"bind_secret_id": True}


async def test_batch_tokens_cannot_be_periodic_via_sub_path(approle: AppRole) -> None:
    await approle.write("role/r", token_type="batch")
    with raises_exactly(
        InvalidRequest,
        "'token_type' cannot be 'batch' or 'default_batch' when set to generate periodic tokens",
    ):
        await approle.write("role/r/period", token_period=60)
