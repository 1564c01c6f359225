"""Token prefixes over HTTP: Vault's `hvs.`/`hvb.` as Strongroom issues them (OpenBao issues
`s.`/`b.`), tokens still served after a restart on the same storage, a batch token accepted
under OpenBao's `b.` too, and malformed tokens answered as OpenBao does (403 "permission
denied", never a 500)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from strongroom.storage import SQLiteStorage
from strongroom.testing.clock import FakeClock
from strongroom.testing.inprocess import InProcessServer, in_process_server
from strongroom.tokens import TokenEntry

NOW = 1_800_000_000.0


async def _create(server: InProcessServer, body: dict[str, Any], token: str | None = None) -> Any:
    response = await server.client.post(
        "/v1/auth/token/create", json=body, headers=server.auth(token)
    )
    assert response.status_code == 200, response.text
    return response.json()["auth"]


async def _post(server: InProcessServer, path: str, body: Any, token: str | None = None) -> Any:
    response = await server.client.post(f"/v1/{path}", json=body, headers=server.auth(token))
    return response.status_code, (response.json() if response.content else None)


async def test_issued_tokens_have_vaults_prefixes() -> None:
    async with in_process_server() as server:
        service = await _create(server, {"policies": ["default"], "ttl": "1h"})
        batch = await _create(server, {"policies": ["default"], "type": "batch"})
        orphan = await server.client.post(
            "/v1/auth/token/create-orphan", json={"policies": ["default"]}, headers=server.auth()
        )
        assert service["client_token"].startswith("hvs.") and len(service["client_token"]) == 28
        assert len(service["accessor"]) == 24
        assert batch["client_token"].startswith("hvb.") and batch["accessor"] == ""
        assert orphan.json()["auth"]["client_token"].startswith("hvs.")


async def test_tokens_keep_working_after_a_restart_and_b_dot_batch_tokens_too(
    tmp_path: Path,
) -> None:
    db, clock = tmp_path / "strongroom.db", FakeClock(NOW)
    async with in_process_server(SQLiteStorage(db), clock=clock) as before:
        # What `auth/token/create` stores, with a value of the form it generates.
        template = TokenEntry(
            id="",
            accessor="",
            policies=("default",),
            path="auth/token/create",
            creation_time=NOW,
            ttl=600,
            expire_time=NOW + 600,
        )
        old_service, _ = await before.core.tokens.store(template, token="hvs." + "A1b2C3" * 4)
        # The same batch token under OpenBao's prefix (a client may have it either way).
        batch = await _create(before, {"policies": ["default"], "type": "batch", "ttl": "10m"})
        old_batch = "b." + batch["client_token"].removeprefix("hvb.")
        root, keys = before.root_token, before.unseal_keys
    async with in_process_server(SQLiteStorage(db), clock=clock, initialized=False) as after:
        await after.core.submit_unseal_share(keys[0])
        after.root_token = root
        looked = await after.client.get("/v1/auth/token/lookup-self", headers=after.auth(old_batch))
        assert looked.status_code == 200 and looked.json()["data"]["type"] == "batch"
        assert looked.json()["data"]["id"] == old_batch
        assert await _post(after, "auth/token/revoke", {"token": old_batch}) == (
            400,
            {"errors": ["batch tokens cannot be revoked"]},
        )
        status, body = await _post(after, "auth/token/lookup", {"token": old_service})
        assert status == 200 and body["data"]["id"] == old_service
        status, body = await _post(after, "auth/token/renew-self", {}, old_service)
        assert status == 200 and body["auth"]["client_token"] == old_service
        assert await _post(after, "auth/token/revoke-self", {}, old_service) == (204, None)
        gone = await after.client.get("/v1/auth/token/lookup-self", headers=after.auth(old_service))
        assert gone.status_code == 403
        clock.advance(600)
        expired = await after.client.get("/v1/auth/token/lookup", headers=after.auth(old_batch))
        assert expired.status_code == 403


async def test_a_custom_b_dot_service_token_from_before_is_still_a_service_token() -> None:
    async with in_process_server(clock=FakeClock(NOW)) as server:
        # The previous version took any `id`, so a service token may be called `b.…`.
        template = TokenEntry(
            id="", accessor="", policies=("default",), creation_time=NOW, expire_time=NOW + 600
        )
        token, _ = await server.core.tokens.store(template, token="b.chosen-before")
        looked = await server.client.get("/v1/auth/token/lookup-self", headers=server.auth(token))
        assert looked.status_code == 200 and looked.json()["data"]["type"] == "service"
        assert await _post(server, "auth/token/revoke-self", {}, token) == (204, None)
        gone = await server.client.get("/v1/auth/token/lookup-self", headers=server.auth(token))
        assert gone.status_code == 403


@pytest.mark.parametrize(
    "token", ["b.garbage", "hvb.garbage", "b.", "hvb.", "s.", "hvs.", "s.AAAAAAAAAAAAAAAAAAAAAAAA"]
)
async def test_malformed_client_tokens_are_denied_like_openbao(token: str) -> None:
    async with in_process_server() as server:
        response = await server.client.get("/v1/auth/token/lookup-self", headers=server.auth(token))
        assert (response.status_code, response.json()) == (403, {"errors": ["permission denied"]})
        assert await _post(server, "auth/token/lookup", {"token": token}) == (
            403,
            {"errors": ["bad token"]},
        )
        assert await _post(server, "auth/token/renew", {"token": token}) == (
            400,
            {"errors": ["token not found"]},
        )
        assert await _post(server, "auth/token/revoke", {"token": token}) == (204, None)


async def test_batch_tokens_cannot_be_renewed_or_revoked_by_any_path() -> None:
    async with in_process_server() as server:
        token = (await _create(server, {"policies": ["default"], "type": "batch"}))["client_token"]
        no_renew = (400, {"errors": ["batch tokens cannot be renewed"]})
        no_revoke = (400, {"errors": ["batch tokens cannot be revoked"]})
        assert await _post(server, "auth/token/renew", {"token": token}) == no_renew
        assert await _post(server, "auth/token/renew-self", {}, token) == no_renew
        assert await _post(server, "auth/token/revoke", {"token": token}) == no_revoke
        assert await _post(server, "auth/token/revoke-orphan", {"token": token}) == no_revoke
        assert await _post(server, "auth/token/revoke-self", {}, token) == no_revoke
        still = await server.client.get("/v1/auth/token/lookup-self", headers=server.auth(token))
        assert still.status_code == 200


@pytest.mark.parametrize(
    ("custom_id", "error"),
    [
        ("s.mine", "custom token ID cannot have the 's.' prefix"),
        ("hvs.mine", "custom token ID cannot have the 'hvs.' prefix"),
        ("b.mine", "custom token ID cannot have a '.' in the value"),
        ("hvb.mine", "custom token ID cannot have a '.' in the value"),
        ("my.token", "custom token ID cannot have a '.' in the value"),
    ],
)
async def test_custom_ids_that_could_pass_for_issued_tokens_are_refused(
    custom_id: str, error: str
) -> None:
    async with in_process_server() as server:
        assert await _post(server, "auth/token/create", {"id": custom_id}) == (
            400,
            {"errors": [error]},
        )


async def test_a_plain_custom_id_is_used_verbatim() -> None:
    async with in_process_server() as server:
        auth = await _create(server, {"id": "my-own-token", "policies": ["default"]})
        assert auth["client_token"] == "my-own-token"
        looked = await server.client.get(
            "/v1/auth/token/lookup-self", headers=server.auth("my-own-token")
        )
        assert looked.json()["data"]["id"] == "my-own-token"
