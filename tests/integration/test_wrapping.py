"""Response wrapping: X-Vault-Wrap-TTL, sys/wrapping/* and the single use of a wrapping token."""

from __future__ import annotations

from strongroom.testing.inprocess import InProcessServer, in_process_server


async def _wrapped(
    server: InProcessServer, method: str, url: str, body: object = None
) -> dict[str, object]:
    headers = {**server.auth(), "X-Vault-Wrap-TTL": "60s"}
    response = await server.client.request(method, url, json=body, headers=headers)
    assert response.status_code == 200, response.text
    envelope = response.json()
    assert envelope["data"] is None and envelope["request_id"] == ""
    info: dict[str, object] = envelope["wrap_info"]
    return info


async def test_wrap_a_token_creation_and_unwrap_it_once() -> None:
    async with in_process_server() as server:
        info = await _wrapped(server, "POST", "/v1/auth/token/create", {"policies": ["p"]})
        assert info["ttl"] == 60 and info["creation_path"] == "auth/token/create"
        assert str(info["token"]).startswith("hvs.") and info["wrapped_accessor"]
        wrapping_token = str(info["token"])
        looked = await server.client.post("/v1/sys/wrapping/lookup", json={"token": wrapping_token})
        assert looked.json()["data"]["creation_ttl"] == 60
        first = await server.client.post(
            "/v1/sys/wrapping/unwrap", headers={"X-Vault-Token": wrapping_token}
        )
        assert first.status_code == 200
        auth = first.json()["auth"]
        assert auth["policies"] == ["default", "p"] and auth["accessor"] == info["wrapped_accessor"]
        second = await server.client.post(
            "/v1/sys/wrapping/unwrap", headers={"X-Vault-Token": wrapping_token}
        )
        assert second.status_code in (400, 403)


async def test_unwrap_with_the_token_in_the_body_and_sys_wrapping_wrap() -> None:
    async with in_process_server() as server:
        info = await _wrapped(server, "POST", "/v1/sys/wrapping/wrap", {"x": "y"})
        unwrapped = await server.client.post(
            "/v1/sys/wrapping/unwrap", json={"token": info["token"]}, headers=server.auth()
        )
        assert unwrapped.json()["data"] == {"x": "y"}
        again = await server.client.post(
            "/v1/sys/wrapping/unwrap", json={"token": info["token"]}, headers=server.auth()
        )
        assert (again.status_code, again.json()) == (
            400,
            {"errors": ["wrapping token is not valid or does not exist"]},
        )
        unwrapped_required = await server.client.post(
            "/v1/sys/wrapping/wrap", json={"x": "y"}, headers=server.auth()
        )
        assert unwrapped_required.json() == {
            "errors": ["endpoint requires response wrapping to be used"]
        }


async def test_wrapping_token_can_do_nothing_else_and_rewrap_works() -> None:
    async with in_process_server() as server:
        info = await _wrapped(server, "POST", "/v1/sys/wrapping/wrap", {"x": "y"})
        token = str(info["token"])
        rewrapped = await server.client.post(
            "/v1/sys/wrapping/rewrap", headers={"X-Vault-Token": token}
        )
        new_token = rewrapped.json()["wrap_info"]["token"]
        assert new_token != token
        other = await server.client.get("/v1/sys/mounts", headers={"X-Vault-Token": new_token})
        assert other.status_code == 403  # and that use is spent


async def test_bad_wrap_ttl_and_policy_bounds() -> None:
    async with in_process_server() as server:
        bad = await server.client.get(
            "/v1/sys/mounts", headers={**server.auth(), "X-Vault-Wrap-TTL": "soon"}
        )
        assert bad.status_code == 400
        policy = 'path "sys/mounts" { capabilities = ["read"]\n max_wrapping_ttl = "30s" }'
        await server.client.put(
            "/v1/sys/policies/acl/w", json={"policy": policy}, headers=server.auth()
        )
        created = await server.client.post(
            "/v1/auth/token/create", json={"policies": ["w"]}, headers=server.auth()
        )
        token = created.json()["auth"]["client_token"]
        too_long = await server.client.get(
            "/v1/sys/mounts", headers={"X-Vault-Token": token, "X-Vault-Wrap-TTL": "60s"}
        )
        assert too_long.status_code == 400
        fine = await server.client.get(
            "/v1/sys/mounts", headers={"X-Vault-Token": token, "X-Vault-Wrap-TTL": "20s"}
        )
        assert fine.status_code == 200 and fine.json()["wrap_info"]["ttl"] == 20
