"""A login token renews only while the user or role that issued it still exists with the
same policies (Vault's auth renew handlers)."""

from __future__ import annotations

from strongroom.testing.inprocess import InProcessServer, in_process_server


async def _userpass_token(server: InProcessServer) -> str:
    await server.client.post(
        "/v1/sys/auth/userpass", json={"type": "userpass"}, headers=server.auth()
    )
    await server.client.post(
        "/v1/auth/userpass/users/bob",
        json={"password": "pw", "token_policies": "app", "token_ttl": "1h"},
        headers=server.auth(),
    )
    login = await server.client.post("/v1/auth/userpass/login/bob", json={"password": "pw"})
    token: str = login.json()["auth"]["client_token"]
    return token


async def test_userpass_token_renews_until_its_policies_change() -> None:
    async with in_process_server() as server:
        token = await _userpass_token(server)
        renew = {"token": token, "increment": "30m"}
        ok = await server.client.post("/v1/auth/token/renew", json=renew, headers=server.auth())
        assert ok.status_code == 200
        await server.client.post(
            "/v1/auth/userpass/users/bob/policies",
            json={"token_policies": "other"},
            headers=server.auth(),
        )
        refused = await server.client.post(
            "/v1/auth/token/renew", json=renew, headers=server.auth()
        )
        assert (refused.status_code, refused.json()) == (
            400,
            {"errors": ["policies have changed, not renewing"]},
        )


async def test_userpass_token_stops_renewing_when_the_user_is_deleted() -> None:
    async with in_process_server() as server:
        token = await _userpass_token(server)
        await server.client.delete("/v1/auth/userpass/users/bob", headers=server.auth())
        refused = await server.client.post(
            "/v1/auth/token/renew", json={"token": token}, headers=server.auth()
        )
        assert refused.status_code == 400


async def test_approle_token_stops_renewing_when_the_role_is_deleted() -> None:
    async with in_process_server() as server:
        await server.client.post(
            "/v1/sys/auth/approle", json={"type": "approle"}, headers=server.auth()
        )
        await server.client.post(
            "/v1/auth/approle/role/app",
            json={"token_policies": "app", "token_ttl": "1h"},
            headers=server.auth(),
        )
        role_id = (
            await server.client.get("/v1/auth/approle/role/app/role-id", headers=server.auth())
        ).json()["data"]["role_id"]
        secret = (
            await server.client.post("/v1/auth/approle/role/app/secret-id", headers=server.auth())
        ).json()["data"]["secret_id"]
        login = await server.client.post(
            "/v1/auth/approle/login", json={"role_id": role_id, "secret_id": secret}
        )
        token = login.json()["auth"]["client_token"]
        renew = {"token": token}
        assert (
            await server.client.post("/v1/auth/token/renew", json=renew, headers=server.auth())
        ).status_code == 200
        await server.client.delete("/v1/auth/approle/role/app", headers=server.auth())
        refused = await server.client.post(
            "/v1/auth/token/renew", json=renew, headers=server.auth()
        )
        assert (refused.status_code, refused.json()) == (
            400,
            {"errors": ['role "app" does not exist during renewal']},
        )
