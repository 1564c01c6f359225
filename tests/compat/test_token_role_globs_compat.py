"""Token roles' `allowed_policies_glob`, `disallowed_policies_glob` and `allowed_entity_aliases`:
the same role read and the same grants and refusals (word for word) from Strongroom and OpenBao
(run against both). The one known difference, an entity alias a role allows, is not sent here:
OpenBao binds it to an identity entity, which Strongroom does not have."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.compat.conftest import ROOT, DevTarget

pytestmark = pytest.mark.compat

SUBSET = (
    "token policies ({}) must be subset of the role's allowed policies ({}) or glob policies ({})"
)


@pytest.fixture
def http(dev_target: DevTarget) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=dev_target.address + "/v1/", headers={"X-Vault-Token": ROOT}, timeout=10
    ) as client:
        yield client


def _role(http: httpx.Client, name: str, body: dict[str, Any]) -> dict[str, Any]:
    written = http.post(f"auth/token/roles/{name}", json=body)
    assert written.status_code in (200, 204), written.text
    data: dict[str, Any] = http.get(f"auth/token/roles/{name}").json()["data"]
    return data


def _create(
    http: httpx.Client, role: str, body: dict[str, Any], token: str = ROOT
) -> tuple[int, Any]:
    response = http.post(f"auth/token/create/{role}", json=body, headers={"X-Vault-Token": token})
    if response.status_code == 200:
        return 200, response.json()["auth"]["policies"]
    return response.status_code, response.json()["errors"]


def test_role_read_shape(http: httpx.Client) -> None:
    role = _role(http, "g", {"allowed_policies_glob": ["Dev-*", "a*b*c"]})
    assert role["allowed_policies_glob"] == ["a*b*c", "dev-*"]
    assert role["allowed_policies"] == role["disallowed_policies"] == []
    assert role["disallowed_policies_glob"] == []
    assert role["allowed_entity_aliases"] is None
    assert "token_bound_cidrs" not in role and "token_num_uses" not in role
    role = _role(http, "g", {"disallowed_policies_glob": "Prod-*, *secret*"})
    assert role["allowed_policies_glob"] == ["a*b*c", "dev-*"]
    assert role["disallowed_policies_glob"] == ["*secret*", "prod-*"]
    role = _role(http, "g", {"allowed_policies_glob": ["x*", "root"], "allowed_entity_aliases": []})
    assert (role["allowed_policies_glob"], role["allowed_entity_aliases"]) == (["root"], [])


def test_a_glob_list_that_is_not_strings_is_a_400(http: httpx.Client) -> None:
    written = http.post("auth/token/roles/bad", json={"allowed_policies_glob": {"a": 1}})
    assert written.status_code == 400
    error = written.json()["errors"][0]
    assert error.startswith('error converting input for field "allowed_policies_glob": ')
    assert http.get("auth/token/roles/bad").status_code == 404


def test_allowed_globs(http: httpx.Client) -> None:
    _role(http, "g1", {"allowed_policies_glob": ["dev-*", "a*b*c"]})
    assert _create(http, "g1", {}) == (200, ["default"])
    assert _create(http, "g1", {"policies": ["DEV-Up"]}) == (200, ["default", "dev-up"])
    assert _create(http, "g1", {"policies": ["abc", "axbyc"]}) == (
        200,
        ["abc", "axbyc", "default"],
    )
    assert _create(http, "g1", {"policies": ["prod", "dev-1"]}) == (
        400,
        [SUBSET.format('["default" "dev-1" "prod"]', '["default"]', '["a*b*c" "dev-*"]')],
    )
    assert _create(http, "g1", {"policies": ["default"], "no_default_policy": True}) == (
        400,
        [SUBSET.format('["default"]', "[]", '["a*b*c" "dev-*"]')],
    )
    assert _create(http, "g1", {"policies": ["root"]}) == (
        400,
        [SUBSET.format('["root"]', '["default"]', '["a*b*c" "dev-*"]')],
    )


def test_exact_and_glob_allowed_lists_combine(http: httpx.Client) -> None:
    _role(http, "g2", {"allowed_policies": ["a", "B"], "allowed_policies_glob": ["dev-*"]})
    assert _create(http, "g2", {}) == (200, ["a", "b", "default"])
    assert _create(http, "g2", {"policies": ["a", "dev-1"]}) == (200, ["a", "default", "dev-1"])
    assert _create(http, "g2", {"policies": ["c"]}) == (
        400,
        [SUBSET.format('["c" "default"]', '["a" "b" "default"]', '["dev-*"]')],
    )


def test_disallowed_globs_and_default(http: httpx.Client) -> None:
    _role(http, "d1", {"disallowed_policies_glob": ["prod-*", "*secret*"]})
    assert _create(http, "d1", {}) == (200, ["root"])
    assert _create(http, "d1", {"policies": ["x", "my-secret-1"]}) == (
        400,
        ['token policy "my-secret-1" is disallowed by this role'],
    )
    _role(http, "d2", {"disallowed_policies_glob": ["def*"]})
    assert _create(http, "d2", {"policies": ["dev"]}) == (200, ["dev"])
    assert _create(http, "d2", {"policies": ["default", "dev"]}) == (
        400,
        ['token policy "default" is disallowed by this role'],
    )


def test_disallowed_wins_over_allowed(http: httpx.Client) -> None:
    body = {
        "allowed_policies_glob": ["dev-*"],
        "disallowed_policies_glob": ["dev-secret*"],
        "disallowed_policies": ["dev-x"],
    }
    _role(http, "d3", body)
    assert _create(http, "d3", {"policies": ["dev-a"]}) == (200, ["default", "dev-a"])
    assert _create(http, "d3", {"policies": ["dev-a", "dev-secret1"]}) == (
        400,
        ['token policy "dev-secret1" is disallowed by this role'],
    )
    assert _create(http, "d3", {"policies": ["zzz", "dev-x"]}) == (
        400,
        [SUBSET.format('["default" "dev-x" "zzz"]', '["default"]', '["dev-*"]')],
    )
    _role(http, "d4", {"allowed_policies": ["default", "dev-a"], "disallowed_policies_glob": "de*"})
    assert _create(http, "d4", {}) == (400, ['token policy "default" is disallowed by this role'])


def test_a_star_glob_does_not_let_a_non_root_parent_mint_root(http: httpx.Client) -> None:
    _role(http, "any", {"allowed_policies_glob": ["*"]})
    assert _create(http, "any", {"policies": ["anything", "Root"]}) == (200, ["root"])
    rules = 'path "auth/token/create/*" { capabilities = ["update"] }'
    assert http.put("sys/policies/acl/minter", json={"policy": rules}).status_code == 204
    minter = http.post("auth/token/create", json={"policies": ["minter"]}).json()["auth"]
    token = minter["client_token"]
    assert _create(http, "any", {"policies": ["root"]}, token) == (
        400,
        ["root tokens may not be created without parent token being root"],
    )
    assert _create(http, "any", {"policies": ["zz"]}, token) == (200, ["default", "zz"])


def test_entity_alias_refusals(http: httpx.Client) -> None:
    response = http.post("auth/token/create", json={"entity_alias": "x"})
    assert (response.status_code, response.json()["errors"]) == (
        400,
        ["'entity_alias' is only allowed in combination with token role"],
    )
    role = _role(http, "ea", {"allowed_entity_aliases": "Web-*,exact"})
    assert role["allowed_entity_aliases"] == ["exact", "web-*"]
    assert _create(http, "ea", {"entity_alias": "other"}) == (
        400,
        ["invalid 'entity_alias' value"],
    )
    _role(http, "plain", {"orphan": True})
    assert _create(http, "plain", {"entity_alias": "x"}) == (400, ["invalid 'entity_alias' value"])


def test_cli_reads_the_globs(dev_target: DevTarget) -> None:
    dev_target.ok("write", "auth/token/roles/cli", "allowed_policies_glob=dev-*,qa-*")
    data = dev_target.json("read", "auth/token/roles/cli")["data"]
    assert isinstance(data, dict)
    assert data["allowed_policies_glob"] == ["dev-*", "qa-*"]
    auth = dev_target.json("token create", "-role=cli", "-policy=qa-1")["auth"]
    assert isinstance(auth, dict)
    assert auth["policies"] == ["default", "qa-1"]
    refused = dev_target.bao("token", "create", "-role=cli", "-policy=prod")
    assert refused.returncode != 0
    assert "must be subset of the role's allowed policies" in refused.stderr
