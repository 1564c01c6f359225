"""The token store through HTTP (in-process): create, lookup, renew, revoke, roles, trees."""

from __future__ import annotations

from typing import Any

from strongroom.testing.clock import FakeClock
from strongroom.testing.inprocess import InProcessServer, in_process_server


async def _create(server: InProcessServer, body: dict[str, Any], token: str | None = None) -> Any:
    response = await server.client.post(
        "/v1/auth/token/create", json=body, headers=server.auth(token)
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_create_inherits_root_and_adds_default_to_named_policies() -> None:
    async with in_process_server() as server:
        inherited = (await _create(server, {}))["auth"]
        assert inherited["policies"] == ["root"]
        assert (inherited["lease_duration"], inherited["renewable"]) == (0, False)
        named = await _create(server, {"policies": ["p1"], "ttl": "1h", "meta": {"a": "b"}})
        auth = named["auth"]
        assert auth["client_token"].startswith("hvs.") and len(auth["client_token"]) == 28
        assert auth["policies"] == auth["token_policies"] == ["default", "p1"]
        assert (auth["lease_duration"], auth["renewable"], auth["metadata"]) == (
            3600,
            True,
            {"a": "b"},
        )
        assert named["warnings"] == ['Policy "p1" does not exist']


async def test_lookup_forms_and_bad_token() -> None:
    async with in_process_server() as server:
        created = (await _create(server, {"policies": ["p1"], "display_name": "Foo Bar"}))["auth"]
        by_token = await server.client.post(
            "/v1/auth/token/lookup", json={"token": created["client_token"]}, headers=server.auth()
        )
        data = by_token.json()["data"]
        assert data["id"] == created["client_token"]
        assert data["display_name"] == "token-Foo-Bar"
        assert data["path"] == "auth/token/create"
        assert data["policies"] == ["default", "p1"]
        by_accessor = await server.client.post(
            "/v1/auth/token/lookup-accessor",
            json={"accessor": created["accessor"]},
            headers=server.auth(),
        )
        assert by_accessor.json()["data"]["id"] == ""
        assert by_accessor.json()["data"]["accessor"] == created["accessor"]
        self_lookup = await server.client.get("/v1/auth/token/lookup-self", headers=server.auth())
        assert self_lookup.json()["data"]["policies"] == ["root"]
        bad = await server.client.post(
            "/v1/auth/token/lookup", json={"token": "hvs.nope"}, headers=server.auth()
        )
        assert (bad.status_code, bad.json()) == (403, {"errors": ["bad token"]})


async def test_revoke_cascades_to_children_but_not_orphans() -> None:
    async with in_process_server() as server:
        parent = (await _create(server, {}))["auth"]["client_token"]
        child = (await _create(server, {}, token=parent))["auth"]["client_token"]
        orphan = (await _create(server, {"no_parent": True}, token=parent))["auth"]["client_token"]
        await server.client.post(
            "/v1/auth/token/revoke", json={"token": parent}, headers=server.auth()
        )
        for token, alive in ((parent, False), (child, False), (orphan, True)):
            response = await server.client.get(
                "/v1/auth/token/lookup-self", headers=server.auth(token)
            )
            assert (response.status_code == 200) is alive


async def test_revoke_orphan_keeps_children() -> None:
    async with in_process_server() as server:
        parent = (await _create(server, {}))["auth"]["client_token"]
        child = (await _create(server, {}, token=parent))["auth"]["client_token"]
        response = await server.client.post(
            "/v1/auth/token/revoke-orphan", json={"token": parent}, headers=server.auth()
        )
        assert response.status_code == 204
        looked = await server.client.get("/v1/auth/token/lookup-self", headers=server.auth(child))
        assert looked.status_code == 200 and looked.json()["data"]["orphan"] is True


async def test_use_limited_token_is_revoked_after_its_last_use() -> None:
    async with in_process_server() as server:
        token = (await _create(server, {"num_uses": 2}))["auth"]["client_token"]
        first = await server.client.get("/v1/auth/token/lookup-self", headers=server.auth(token))
        assert first.json()["data"]["num_uses"] == 1
        second = await server.client.get("/v1/auth/token/lookup-self", headers=server.auth(token))
        assert second.status_code == 200
        third = await server.client.get("/v1/auth/token/lookup-self", headers=server.auth(token))
        assert third.status_code == 403


async def test_ttl_expiry_and_renewal_with_a_fake_clock() -> None:
    clock = FakeClock()
    async with in_process_server(clock=clock) as server:
        token = (await _create(server, {"ttl": "10s", "explicit_max_ttl": "25s"}))["auth"][
            "client_token"
        ]
        clock.advance(8)
        renewed = await server.client.post(
            "/v1/auth/token/renew-self", json={"increment": "10s"}, headers=server.auth(token)
        )
        assert renewed.json()["auth"]["lease_duration"] == 10
        clock.advance(9)
        again = await server.client.post(
            "/v1/auth/token/renew", json={"token": token, "increment": "1h"}, headers=server.auth()
        )
        assert again.json()["auth"]["lease_duration"] == 8  # explicit max TTL caps it
        clock.advance(9)
        expired = await server.client.get("/v1/auth/token/lookup-self", headers=server.auth(token))
        assert expired.status_code == 403


async def test_root_token_is_not_renewable() -> None:
    async with in_process_server() as server:
        response = await server.client.post("/v1/auth/token/renew-self", headers=server.auth())
        assert (response.status_code, response.json()) == (
            400,
            {"errors": ["lease is not renewable"]},
        )


async def test_batch_tokens() -> None:
    async with in_process_server() as server:
        created = (await _create(server, {"type": "batch", "policies": ["p1"]}))["auth"]
        token = created["client_token"]
        assert token.startswith("hvb.") and created["accessor"] == ""
        assert (created["token_type"], created["renewable"]) == ("batch", False)
        root_batch = await server.client.post(
            "/v1/auth/token/create", json={"type": "batch"}, headers=server.auth()
        )
        assert root_batch.status_code == 400
        revoke = await server.client.post(
            "/v1/auth/token/revoke", json={"token": token}, headers=server.auth()
        )
        assert revoke.status_code == 400


async def test_roles_crud_and_create_against_role() -> None:
    async with in_process_server() as server:
        url = "/v1/auth/token/roles/app"
        body = {"allowed_policies": "a,b", "orphan": True, "token_period": "1h"}
        assert (await server.client.post(url, json=body, headers=server.auth())).status_code == 204
        role = (await server.client.get(url, headers=server.auth())).json()["data"]
        assert role["allowed_policies"] == ["a", "b"] and role["orphan"] is True
        assert role["token_period"] == 3600 and role["period"] == 3600
        listed = await server.client.request("LIST", "/v1/auth/token/roles", headers=server.auth())
        assert listed.json()["data"]["keys"] == ["app"]
        created = await server.client.post(
            "/v1/auth/token/create/app", json={"policies": ["a"]}, headers=server.auth()
        )
        auth = created.json()["auth"]
        assert auth["policies"] == ["a", "default"] and auth["orphan"] is True
        assert auth["lease_duration"] == 3600
        denied = await server.client.post(
            "/v1/auth/token/create/app", json={"policies": ["c"]}, headers=server.auth()
        )
        assert (
            denied.status_code == 400
        )  # OpenBao: 400, "must be subset of the role's allowed policies"
        assert "subset of the role's allowed policies" in denied.json()["errors"][0]
        assert (await server.client.delete(url, headers=server.auth())).status_code == 204
        assert (await server.client.get(url, headers=server.auth())).status_code == 404


async def test_accessors_list_revoke_accessor_and_tidy() -> None:
    async with in_process_server() as server:
        created = (await _create(server, {"policies": ["p"]}))["auth"]
        listed = await server.client.request(
            "LIST", "/v1/auth/token/accessors", headers=server.auth()
        )
        assert len(listed.json()["data"]["keys"]) == 2
        gone = await server.client.post(
            "/v1/auth/token/revoke-accessor",
            json={"accessor": created["accessor"]},
            headers=server.auth(),
        )
        assert gone.status_code == 204
        missing = await server.client.post(
            "/v1/auth/token/revoke-accessor", json={"accessor": "nope"}, headers=server.auth()
        )
        assert missing.json()["warnings"] == ["No token found with this accessor"]
        assert (
            await server.client.post("/v1/auth/token/tidy", headers=server.auth())
        ).status_code == 200


async def test_cubbyhole_is_private_and_dies_with_the_token() -> None:
    async with in_process_server() as server:
        token = (await _create(server, {}))["auth"]["client_token"]
        write = await server.client.post(
            "/v1/cubbyhole/app", json={"k": "v"}, headers=server.auth(token)
        )
        assert write.status_code == 204
        own = await server.client.get("/v1/cubbyhole/app", headers=server.auth(token))
        assert own.json()["data"] == {"k": "v"}
        other = await server.client.get("/v1/cubbyhole/app", headers=server.auth())
        assert other.status_code == 404
        await server.client.post(
            "/v1/auth/token/revoke", json={"token": token}, headers=server.auth()
        )
        storage = server.core.router.match("cubbyhole/")
        assert storage is not None
        assert await storage[0].storage.list("") == []


async def test_role_max_ttl_and_bound_cidrs_apply_to_its_tokens() -> None:
    async with in_process_server() as server:
        role = {"allowed_policies": "p", "token_max_ttl": "1h", "token_bound_cidrs": "10.0.0.0/8"}
        await server.client.post("/v1/auth/token/roles/fenced", json=role, headers=server.auth())
        created = await server.client.post(
            "/v1/auth/token/create/fenced", json={"ttl": "2h"}, headers=server.auth()
        )
        body = created.json()
        assert body["auth"]["lease_duration"] == 3600  # capped by the role's token_max_ttl
        assert body["warnings"]
        token = body["auth"]["client_token"]
        # The in-process client connects from 127.0.0.1, outside the role's 10.0.0.0/8.
        used = await server.client.get("/v1/auth/token/lookup-self", headers=server.auth(token))
        assert used.status_code == 403
