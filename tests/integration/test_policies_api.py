"""ACL policies through the API: store, legacy endpoints, capabilities, enforcement."""

from __future__ import annotations

from strongroom.testing.inprocess import InProcessServer, in_process_server

POLICY = (
    'path "cubbyhole/app/*" { capabilities = ["read", "create", "update"] }\n'
    'path "sys/mounts" { capabilities = ["read"] }\n'
)


async def _token(server: InProcessServer, *policies: str) -> str:
    response = await server.client.post(
        "/v1/auth/token/create", json={"policies": list(policies)}, headers=server.auth()
    )
    token: str = response.json()["auth"]["client_token"]
    return token


async def test_policy_crud_and_listing() -> None:
    async with in_process_server() as server:
        url = "/v1/sys/policies/acl/P1"
        assert (
            await server.client.put(url, json={"policy": POLICY}, headers=server.auth())
        ).status_code == 204
        read = (await server.client.get("/v1/sys/policies/acl/p1", headers=server.auth())).json()[
            "data"
        ]
        assert (read["name"], read["policy"], read["version"]) == ("p1", POLICY, 1)
        listed = await server.client.request("LIST", "/v1/sys/policies/acl", headers=server.auth())
        assert listed.json()["data"]["keys"] == ["default", "p1", "root"]
        legacy = (await server.client.get("/v1/sys/policy", headers=server.auth())).json()
        assert legacy["policies"] == legacy["data"]["keys"] == ["default", "p1", "root"]
        rules = (await server.client.get("/v1/sys/policy/p1", headers=server.auth())).json()
        assert rules["rules"] == POLICY
        assert (await server.client.delete(url, headers=server.auth())).status_code == 204
        assert (await server.client.get(url, headers=server.auth())).status_code == 404


async def test_builtin_policies_are_protected() -> None:
    async with in_process_server() as server:
        cases = [
            ("DELETE", "/v1/sys/policies/acl/default", None, "cannot delete default policy"),
            ("DELETE", "/v1/sys/policies/acl/root", None, 'cannot delete "root" policy'),
            ("PUT", "/v1/sys/policies/acl/root", {"policy": POLICY}, 'cannot update "root" policy'),
        ]
        for method, url, body, message in cases:
            response = await server.client.request(method, url, json=body, headers=server.auth())
            assert (response.status_code, response.json()) == (400, {"errors": [message]})


async def test_bad_policy_is_rejected_and_old_version_stays() -> None:
    async with in_process_server() as server:
        url = "/v1/sys/policies/acl/p1"
        await server.client.put(url, json={"policy": POLICY}, headers=server.auth())
        broken = await server.client.put(
            url, json={"policy": 'path "x" { capabilities = ['}, headers=server.auth()
        )
        assert broken.status_code == 400
        assert broken.json()["errors"][0].startswith("failed to parse policy")
        still = (await server.client.get(url, headers=server.auth())).json()["data"]
        assert (still["policy"], still["version"]) == (POLICY, 1)


async def test_enforcement_deny_by_default_and_capabilities() -> None:
    async with in_process_server() as server:
        await server.client.put(
            "/v1/sys/policies/acl/p1", json={"policy": POLICY}, headers=server.auth()
        )
        token = await _token(server, "p1")
        assert (
            await server.client.get("/v1/sys/mounts", headers=server.auth(token))
        ).status_code == 200
        denied = await server.client.get("/v1/sys/key-status", headers=server.auth(token))
        assert (denied.status_code, denied.json()) == (403, {"errors": ["permission denied"]})
        own = await server.client.get("/v1/auth/token/lookup-self", headers=server.auth(token))
        assert own.status_code == 200  # granted by the default policy
        caps = await server.client.post(
            "/v1/sys/capabilities",
            json={"token": token, "paths": ["sys/mounts", "sys/seal"]},
            headers=server.auth(),
        )
        body = caps.json()
        assert body["data"] == {"sys/mounts": ["read"], "sys/seal": ["deny"]}
        own_caps = await server.client.post(
            "/v1/sys/capabilities-self", json={"path": "sys/mounts"}, headers=server.auth(token)
        )
        assert own_caps.json()["capabilities"] == ["read"]
        root_caps = await server.client.post(
            "/v1/sys/capabilities-self", json={"paths": ["anything"]}, headers=server.auth()
        )
        assert root_caps.json()["data"] == {"anything": ["root"], "capabilities": ["root"]}


async def test_sudo_paths_need_sudo() -> None:
    async with in_process_server() as server:
        policy = (
            'path "sys/rotate" { capabilities = ["update"] }\n'
            'path "sys/seal" { capabilities = ["update", "sudo"] }'
        )
        await server.client.put(
            "/v1/sys/policies/acl/ops", json={"policy": policy}, headers=server.auth()
        )
        token = await _token(server, "ops")
        assert (
            await server.client.put("/v1/sys/rotate", headers=server.auth(token))
        ).status_code == 403
        assert (
            await server.client.put("/v1/sys/seal", headers=server.auth(token))
        ).status_code == 204


async def test_children_cannot_escalate_policies() -> None:
    async with in_process_server() as server:
        policy = 'path "auth/token/create" { capabilities = ["update"] }'
        await server.client.put(
            "/v1/sys/policies/acl/creator", json={"policy": policy}, headers=server.auth()
        )
        token = await _token(server, "creator")
        escalate = await server.client.post(
            "/v1/auth/token/create", json={"policies": ["root"]}, headers=server.auth(token)
        )
        # vault-compat: OpenBao refuses with 400 "child policies must be subset of parent"
        assert escalate.status_code == 400
        assert escalate.json() == {"errors": ["child policies must be subset of parent"]}
        subset = await server.client.post(
            "/v1/auth/token/create", json={"policies": ["creator"]}, headers=server.auth(token)
        )
        assert subset.status_code == 200


async def test_ui_mounts_show_only_mounts_the_token_reaches() -> None:
    async with in_process_server() as server:
        for path in ("secret", "other"):
            await server.client.post(
                f"/v1/sys/mounts/{path}", json={"type": "kv-v2"}, headers=server.auth()
            )
        policy = 'path "secret/data/team/*" { capabilities = ["read"] }'
        await server.client.put(
            "/v1/sys/policies/acl/team", json={"policy": policy}, headers=server.auth()
        )
        token = await _token(server, "team")
        listing = await server.client.get("/v1/sys/internal/ui/mounts", headers=server.auth(token))
        secret_mounts = listing.json()["data"]["secret"]
        assert "secret/" in secret_mounts and "other/" not in secret_mounts
        one = await server.client.get(
            "/v1/sys/internal/ui/mounts/secret/team/x", headers=server.auth(token)
        )
        assert one.json()["data"]["options"] == {"version": "2"}
        assert one.json()["data"]["path"] == "secret/"
        hidden = await server.client.get(
            "/v1/sys/internal/ui/mounts/other/x", headers=server.auth(token)
        )
        assert hidden.status_code == 403
