"""Token roles' `allowed_policies_glob`, `disallowed_policies_glob` and
`allowed_entity_aliases` through HTTP (in-process), with OpenBao 2.x's answers and texts."""

from __future__ import annotations

from typing import Any

import pytest

from strongroom.testing.inprocess import InProcessServer, in_process_server

ROLES = "/v1/auth/token/roles/"


async def _role(server: InProcessServer, name: str, body: dict[str, Any]) -> dict[str, Any]:
    written = await server.client.post(ROLES + name, json=body, headers=server.auth())
    assert written.status_code == 204, written.text
    read = await server.client.get(ROLES + name, headers=server.auth())
    data: dict[str, Any] = read.json()["data"]
    return data


async def _create(
    server: InProcessServer, role: str, body: dict[str, Any], token: str | None = None
) -> tuple[int, Any]:
    response = await server.client.post(
        f"/v1/auth/token/create/{role}", json=body, headers=server.auth(token)
    )
    payload = response.json()
    if response.status_code == 200:
        return 200, payload["auth"]["policies"]
    return response.status_code, payload["errors"]


async def _token_with(server: InProcessServer, policy: str, rules: str) -> str:
    await server.client.put(
        f"/v1/sys/policies/acl/{policy}", json={"policy": rules}, headers=server.auth()
    )
    created = await server.client.post(
        "/v1/auth/token/create", json={"policies": [policy]}, headers=server.auth()
    )
    token: str = created.json()["auth"]["client_token"]
    return token


async def test_role_read_shows_sanitised_globs_and_keeps_them_on_update() -> None:
    async with in_process_server() as server:
        role = await _role(
            server, "g", {"allowed_policies_glob": ["Dev-*", " a*b*c", ""], "orphan": True}
        )
        assert role["allowed_policies_glob"] == ["a*b*c", "dev-*"]
        assert role["disallowed_policies_glob"] == role["allowed_policies"] == []
        assert role["allowed_entity_aliases"] is None
        role = await _role(server, "g", {"disallowed_policies_glob": "Prod-*, *secret*"})
        assert role["allowed_policies_glob"] == ["a*b*c", "dev-*"]  # not sent: kept
        assert role["disallowed_policies_glob"] == ["*secret*", "prod-*"]
        role = await _role(server, "g", {"allowed_policies_glob": ["x*", "Root"]})
        assert role["allowed_policies_glob"] == ["root"]  # `root` leaves only `root`
        role = await _role(server, "g", {"allowed_policies_glob": []})
        assert role["allowed_policies_glob"] == []


@pytest.mark.parametrize("bad", [{"a": 1}, [{"a": 1}]])
async def test_a_glob_list_that_is_not_strings_is_a_400(bad: Any) -> None:
    async with in_process_server() as server:
        for field in ("allowed_policies_glob", "disallowed_policies_glob"):
            written = await server.client.post(
                ROLES + "bad", json={field: bad}, headers=server.auth()
            )
            assert written.status_code == 400
            assert f'error converting input for field "{field}"' in written.json()["errors"][0]


async def test_allowed_globs_grant_matching_policies_and_refuse_others() -> None:
    async with in_process_server() as server:
        await _role(server, "g1", {"allowed_policies_glob": ["dev-*", "a*b*c"]})
        assert await _create(server, "g1", {}) == (200, ["default"])
        assert await _create(server, "g1", {"policies": ["DEV-Up"]}) == (200, ["default", "dev-up"])
        granted = await _create(server, "g1", {"policies": ["abc", "axbyc"]})
        assert granted == (200, ["abc", "axbyc", "default"])
        assert await _create(server, "g1", {"policies": ["prod", "dev-1"]}) == (
            400,
            [
                'token policies (["default" "dev-1" "prod"]) must be subset of the role\'s '
                'allowed policies (["default"]) or glob policies (["a*b*c" "dev-*"])'
            ],
        )
        # no_default_policy: `default` is no longer implicitly allowed
        assert await _create(
            server, "g1", {"policies": ["default"], "no_default_policy": True}
        ) == (
            400,
            [
                'token policies (["default"]) must be subset of the role\'s allowed policies '
                '([]) or glob policies (["a*b*c" "dev-*"])'
            ],
        )
        assert await _create(server, "g1", {"policies": ["dev-1"], "no_default_policy": True}) == (
            200,
            ["dev-1"],
        )


async def test_exact_and_glob_allowed_lists_combine() -> None:
    async with in_process_server() as server:
        await _role(
            server, "g2", {"allowed_policies": ["a", "B"], "allowed_policies_glob": "dev-*"}
        )
        assert await _create(server, "g2", {}) == (200, ["a", "b", "default"])
        assert await _create(server, "g2", {"policies": ["a", "dev-1"]}) == (
            200,
            ["a", "default", "dev-1"],
        )
        assert await _create(server, "g2", {"policies": ["c"]}) == (
            400,
            [
                'token policies (["c" "default"]) must be subset of the role\'s allowed policies '
                '(["a" "b" "default"]) or glob policies (["dev-*"])'
            ],
        )


async def test_disallowed_globs_refuse_matching_policies() -> None:
    async with in_process_server() as server:
        await _role(server, "d1", {"disallowed_policies_glob": ["prod-*", "*secret*"]})
        assert await _create(server, "d1", {}) == (200, ["root"])  # the parent's, as OpenBao
        assert await _create(server, "d1", {"policies": ["dev"]}) == (200, ["default", "dev"])
        assert await _create(server, "d1", {"policies": ["prod-db"]}) == (
            400,
            ['token policy "prod-db" is disallowed by this role'],
        )
        assert await _create(server, "d1", {"policies": ["x", "my-secret-1"]}) == (
            400,
            ['token policy "my-secret-1" is disallowed by this role'],
        )


async def test_a_disallowed_glob_matching_default_stops_adding_it() -> None:
    async with in_process_server() as server:
        await _role(server, "d2", {"disallowed_policies_glob": ["def*"]})
        assert await _create(server, "d2", {"policies": ["dev"]}) == (200, ["dev"])
        assert await _create(server, "d2", {"policies": ["default", "dev"]}) == (
            400,
            ['token policy "default" is disallowed by this role'],
        )
        await _role(server, "d4", {"allowed_policies": ["default", "dev-a"]})
        await _role(server, "d4", {"disallowed_policies_glob": ["de*"]})
        assert await _create(server, "d4", {}) == (
            400,
            ['token policy "default" is disallowed by this role'],
        )


async def test_disallowed_wins_over_allowed() -> None:
    async with in_process_server() as server:
        body = {
            "allowed_policies_glob": ["dev-*"],
            "disallowed_policies_glob": ["dev-secret*"],
            "disallowed_policies": ["dev-x"],
        }
        await _role(server, "d3", body)
        assert await _create(server, "d3", {}) == (200, ["default"])
        assert await _create(server, "d3", {"policies": ["dev-a"]}) == (200, ["default", "dev-a"])
        assert await _create(server, "d3", {"policies": ["dev-a", "dev-secret1"]}) == (
            400,
            ['token policy "dev-secret1" is disallowed by this role'],
        )
        assert await _create(server, "d3", {"policies": ["dev-x"]}) == (
            400,
            ['token policy "dev-x" is disallowed by this role'],
        )
        # the allowed check comes first
        status, errors = await _create(server, "d3", {"policies": ["zzz", "dev-x"]})
        assert status == 400 and "must be subset of the role's allowed policies" in errors[0]


async def test_a_star_glob_never_lets_a_non_root_parent_mint_root() -> None:
    async with in_process_server() as server:
        await _role(server, "any", {"allowed_policies_glob": ["*"]})
        assert await _create(server, "any", {"policies": ["anything", "Root"]}) == (200, ["root"])
        minter = await _token_with(
            server, "minter", 'path "auth/token/create/*" { capabilities = ["update"] }'
        )
        assert await _create(server, "any", {"policies": ["root"]}, minter) == (
            400,
            ["root tokens may not be created without parent token being root"],
        )
        # the role, not the parent, bounds the policies
        assert await _create(server, "any", {"policies": ["zz"]}, minter) == (
            200,
            ["default", "zz"],
        )


async def test_sudo_without_root_cannot_mint_root_either() -> None:
    async with in_process_server() as server:
        sudoer = await _token_with(
            server, "sudoer", 'path "auth/token/create*" { capabilities = ["update", "sudo"] }'
        )
        response = await server.client.post(
            "/v1/auth/token/create", json={"policies": ["root"]}, headers=server.auth(sudoer)
        )
        assert response.status_code == 400
        assert response.json()["errors"] == [
            "root tokens may not be created without parent token being root"
        ]


async def test_internal_policies_cannot_be_assigned() -> None:
    async with in_process_server() as server:
        response = await server.client.post(
            "/v1/auth/token/create",
            json={"policies": ["response-wrapping"]},
            headers=server.auth(),
        )
        assert response.status_code == 400
        assert response.json()["errors"] == ['cannot assign policy "response-wrapping"']


async def test_entity_alias_is_checked_against_the_role_and_then_refused() -> None:
    async with in_process_server() as server:
        role = await _role(server, "ea", {"allowed_entity_aliases": ["Web-*", "exact"]})
        assert role["allowed_entity_aliases"] == ["exact", "web-*"]
        assert (await _role(server, "none", {"allowed_entity_aliases": []}))[
            "allowed_entity_aliases"
        ] == []
        no_role = await server.client.post(
            "/v1/auth/token/create", json={"entity_alias": "x"}, headers=server.auth()
        )
        assert (no_role.status_code, no_role.json()["errors"]) == (
            400,
            ["'entity_alias' is only allowed in combination with token role"],
        )
        refused = (400, ["invalid 'entity_alias' value"])
        assert await _create(server, "ea", {"entity_alias": "other"}) == refused
        assert await _create(server, "none", {"entity_alias": "x"}) == refused
        # Allowed, but Strongroom has no identity entities: refused, never silently dropped.
        status, errors = await _create(server, "ea", {"entity_alias": "WEB-1"})
        assert status == 400 and "'entity_alias' is not supported" in errors[0]
        assert await _create(server, "ea", {"entity_alias": ""}) == (200, ["root"])
