"""The expiration manager through the API: token leases, lookup, revoke, expiry, restarts."""

from __future__ import annotations

from strongroom.storage import InmemStorage
from strongroom.testing.clock import FakeClock
from strongroom.testing.inprocess import InProcessServer, in_process_server


class _KeepOpen(InmemStorage):
    async def close(self) -> None:
        return None


async def _token(server: InProcessServer, ttl: str) -> dict[str, str]:
    response = await server.client.post(
        "/v1/auth/token/create", json={"policies": ["p"], "ttl": ttl}, headers=server.auth()
    )
    auth: dict[str, str] = response.json()["auth"]
    return auth


async def test_token_with_ttl_gets_a_lease_that_lists_and_looks_up() -> None:
    async with in_process_server() as server:
        await _token(server, "1h")
        listed = await server.client.request(
            "LIST", "/v1/sys/leases/lookup/auth/token/create/", headers=server.auth()
        )
        keys = listed.json()["data"]["keys"]
        assert len(keys) == 1
        lease_id = "auth/token/create/" + keys[0]
        looked = await server.client.put(
            "/v1/sys/leases/lookup", json={"lease_id": lease_id}, headers=server.auth()
        )
        data = looked.json()["data"]
        assert data["id"] == lease_id and data["renewable"] is True
        assert 3590 < data["ttl"] <= 3600 and data["path"] == "auth/token/create"
        missing = await server.client.put("/v1/sys/leases/lookup", json={}, headers=server.auth())
        assert (missing.status_code, missing.json()) == (
            400,
            {"errors": ["lease_id must be specified"]},
        )
        bad = await server.client.put(
            "/v1/sys/leases/lookup", json={"lease_id": "nope/x"}, headers=server.auth()
        )
        assert (bad.status_code, bad.json()) == (400, {"errors": ["invalid lease"]})


async def test_expired_token_is_revoked_by_the_manager_with_its_cubbyhole() -> None:
    clock = FakeClock()
    async with in_process_server(clock=clock) as server:
        await server.client.put(
            "/v1/sys/policies/acl/p",
            json={"policy": 'path "cubbyhole/*" { capabilities = ["create", "update"] }'},
            headers=server.auth(),
        )
        token = (await _token(server, "2s"))["client_token"]
        write = await server.client.post(
            "/v1/cubbyhole/x", json={"a": "b"}, headers=server.auth(token)
        )
        assert write.status_code == 204
        clock.advance(3)
        assert await server.core.expiration.run_due() == 1
        count = (await server.client.get("/v1/sys/leases/count", headers=server.auth())).json()
        assert count["data"]["lease_count"] == 0
        cubbyhole = server.core.router.match("cubbyhole/")
        assert cubbyhole is not None and await cubbyhole[0].storage.list("") == []
        assert await server.core.tokens.lookup(token) is None


async def test_revoke_prefix_revokes_the_tokens() -> None:
    async with in_process_server() as server:
        tokens = [(await _token(server, "1h"))["client_token"] for _ in range(3)]
        response = await server.client.put(
            "/v1/sys/leases/revoke-prefix/auth/token/create", headers=server.auth()
        )
        assert response.status_code == 204
        for token in tokens:
            looked = await server.client.get(
                "/v1/auth/token/lookup-self", headers=server.auth(token)
            )
            assert looked.status_code == 403


async def test_leases_survive_a_restart_and_expire_afterwards() -> None:
    clock = FakeClock()
    storage = _KeepOpen()
    async with in_process_server(storage, clock=clock) as first:
        token = (await _token(first, "2s"))["client_token"]
        keys = first.unseal_keys
    async with in_process_server(storage, clock=clock, initialized=False) as second:
        await second.core.submit_unseal_share(keys[0])
        assert second.core.expiration.count() == 1
        clock.advance(5)
        assert await second.core.expiration.run_due() == 1
        assert await second.core.tokens.lookup(token) is None
