"""Password policies through the API, in process: they live in the barrier and survive a seal,
they are deny-by-default, and the store is what engines generate from."""

from __future__ import annotations

from strongroom.storage import InmemStorage
from strongroom.storage.walk import walk_keys
from strongroom.testing.inprocess import InProcessServer, in_process_server

POLICY = 'length = 10\nrule "charset" {\n  charset = "xyz"\n  min-chars = 2\n}\n'
URL = "/v1/sys/policies/password/app"


async def _token(server: InProcessServer, policy: str | None = None) -> str:
    policies = ["default"]
    if policy is not None:
        await server.client.put(
            "/v1/sys/policies/acl/pw", json={"policy": policy}, headers=server.auth()
        )
        policies.append("pw")
    response = await server.client.post(
        "/v1/auth/token/create", json={"policies": policies}, headers=server.auth()
    )
    token: str = response.json()["auth"]["client_token"]
    return token


async def test_policies_survive_a_seal_and_never_reach_storage_in_the_clear() -> None:
    storage = InmemStorage()
    async with in_process_server(storage) as server:
        put = await server.client.put(URL, json={"policy": POLICY}, headers=server.auth())
        assert put.status_code == 204
        await server.core.seal()
        for share in server.unseal_keys:
            await server.core.submit_unseal_share(share)
        read = await server.client.get(URL, headers=server.auth())
        assert read.json()["data"] == {"policy": POLICY}
        generated = await server.client.get(URL + "/generate", headers=server.auth())
        password = generated.json()["data"]["password"]
        assert len(password) == 10 and set(password) <= set("xyz")
        assert await server.core.password_policies.names() == ["app"]
        assert len(await server.core.password_policies.generate("app")) == 10
        keys = await walk_keys(storage)
        entries = [await storage.get(key) for key in keys]
    raw = b"".join(entry.value for entry in entries if entry is not None)
    assert b"charset" not in raw and b"min-chars" not in raw
    assert "sys/password_policy/app" in keys


async def test_deny_by_default_and_granted_by_acl() -> None:
    async with in_process_server() as server:
        await server.client.put(URL, json={"policy": POLICY}, headers=server.auth())
        plain = await _token(server)
        assert (await server.client.get(URL, headers=server.auth(plain))).status_code == 403
        reader = await _token(
            server, 'path "sys/policies/password/+/generate" { capabilities = ["read"] }'
        )
        allowed = await server.client.get(URL + "/generate", headers=server.auth(reader))
        assert allowed.status_code == 200
        denied = await server.client.put(URL, json={"policy": POLICY}, headers=server.auth(reader))
        assert denied.status_code == 403
