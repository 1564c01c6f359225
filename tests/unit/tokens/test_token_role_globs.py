"""Token roles' policy globs, sanitising and stored shape, as OpenBao's token store has them
(`StrListContainsGlob`, `SanitizePolicies`, the role read), without a server."""

from __future__ import annotations

import json

import pytest

from strongroom.tokens import TokenRole
from strongroom.tokens.roles import glob_matches, sanitize_policies, unique_lower


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        ("dev-*", "dev-x", True),
        ("dev-*", "dev-", True),  # `*` may match nothing
        ("dev-*", "prod-dev-x", False),  # anchored at the start
        ("*-ro", "kv-ro", True),
        ("*-ro", "kv-rw", False),
        ("*secret*", "my-secret-1", True),
        ("a*b*c", "axbyc", True),
        ("a*b*c", "abc", True),
        ("a*b*c", "acb", False),
        ("ab*ba", "aba", False),  # prefix and suffix may not overlap
        ("*", "root", True),
        ("exact", "exact", True),
        ("exact", "exactly", False),
        ("[abc", "[abc", True),  # only `*` is special: no invalid pattern exists
        ("a?c", "abc", False),
        ("a.c", "abc", False),
        ("", "", True),
        ("", "x", False),
    ],
)
def test_glob_matches_star_anywhere_and_nothing_else(
    pattern: str, value: str, matches: bool
) -> None:
    assert glob_matches([pattern], value) is matches


def test_glob_matches_any_of_the_list() -> None:
    assert glob_matches(["x-*", "y-*"], "y-1")
    assert not glob_matches([], "anything")


def test_sanitize_policies_as_openbao() -> None:
    assert sanitize_policies([" B", "a", "b", ""], add_default=False) == ["a", "b"]
    assert sanitize_policies(["b", "a"], add_default=True) == ["a", "b", "default"]
    assert sanitize_policies(["x", "Root", "default"], add_default=True) == ["root"]
    assert sanitize_policies([], add_default=True) == ["default"]
    assert unique_lower(["x*", " X* ", "", "Root"]) == ["root", "x*"]


def test_read_shape_of_a_new_role() -> None:
    assert TokenRole(name="r").to_json() == {
        "name": "r",
        "allowed_policies": [],
        "disallowed_policies": [],
        "allowed_policies_glob": [],
        "disallowed_policies_glob": [],
        "allowed_entity_aliases": None,  # null until written, as OpenBao
        "orphan": False,
        "renewable": True,
        "path_suffix": "",
        "token_type": "default-service",
        "token_period": 0,
        "period": 0,
        "token_explicit_max_ttl": 0,
        "explicit_max_ttl": 0,
        "token_ttl": 0,
        "token_max_ttl": 0,
        "token_no_default_policy": False,
    }


def test_read_shows_bound_cidrs_and_num_uses_only_when_set() -> None:
    role = TokenRole(name="r", token_bound_cidrs=("10.0.0.0/8",), token_num_uses=3)
    shown = role.to_json()
    assert shown["token_bound_cidrs"] == shown["bound_cidrs"] == ["10.0.0.0/8"]
    assert shown["token_num_uses"] == 3


def test_role_round_trips_through_storage() -> None:
    role = TokenRole(
        name="r",
        allowed_policies_glob=("dev-*",),
        disallowed_policies_glob=("*secret*",),
        allowed_entity_aliases=(),
    )
    assert TokenRole.deserialize(role.serialize()) == role
    assert TokenRole.deserialize(TokenRole(name="n").serialize()).allowed_entity_aliases is None


def test_role_stored_before_the_glob_fields_still_loads() -> None:
    old = {
        "name": "legacy",
        "allowed_policies": ["a"],
        "disallowed_policies": [],
        "orphan": True,
        "renewable": True,
        "path_suffix": "",
        "token_type": "default-service",
        "token_period": 0,
        "token_explicit_max_ttl": 0,
        "token_no_default_policy": False,
        "token_num_uses": 0,
        "token_bound_cidrs": [],
        "some_future_field": 1,  # a key this version does not know is ignored
    }
    role = TokenRole.deserialize(json.dumps(old).encode())
    assert (role.allowed_policies, role.orphan) == (("a",), True)
    assert (role.allowed_policies_glob, role.disallowed_policies_glob) == ((), ())
    assert role.allowed_entity_aliases is None
    assert role.to_json()["allowed_policies_glob"] == []


def test_limits_policies_counts_every_list() -> None:
    assert not TokenRole(name="r").limits_policies
    for field in (
        "allowed_policies",
        "disallowed_policies",
        "allowed_policies_glob",
        "disallowed_policies_glob",
    ):
        assert TokenRole(name="r", **{field: ("x",)}).limits_policies  # type: ignore[arg-type]
