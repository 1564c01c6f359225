"""Init, unseal, seal, health and leader through the HTTP layer (in-process, real Core)."""

from __future__ import annotations

import pytest

from strongroom.testing.inprocess import InProcessServer, in_process_server


@pytest.fixture
async def fresh() -> object:
    async with in_process_server(initialized=False) as server:
        yield server


async def test_uninitialised_status(fresh: InProcessServer) -> None:
    status = (await fresh.client.get("/v1/sys/seal-status")).json()
    assert status["initialized"] is False
    assert status["sealed"] is True
    assert (status["t"], status["n"], status["progress"]) == (0, 0, 0)
    assert (await fresh.client.get("/v1/sys/init")).json() == {"initialized": False}
    health = await fresh.client.get("/v1/sys/health")
    assert health.status_code == 501
    assert health.json()["initialized"] is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"secret_shares": 2, "secret_threshold": 3}, "threshold cannot be larger than shares"),
        (
            {"secret_shares": 3, "secret_threshold": 1},
            "threshold must be greater than one for multiple shares",
        ),
        ({"secret_shares": 300, "secret_threshold": 3}, "shares must be less than 256"),
        ({"secret_shares": 3, "secret_threshold": 0}, "threshold must be at least one"),
        ({"secret_shares": 0, "secret_threshold": 0}, "shares must be at least one"),
    ],
)
async def test_init_rejects_bad_seal_config(
    fresh: InProcessServer, body: dict[str, int], message: str
) -> None:
    response = await fresh.client.put("/v1/sys/init", json=body)
    assert response.status_code == 400
    assert response.json() == {"errors": [f"invalid seal configuration: {message}"]}
    assert (await fresh.client.get("/v1/sys/init")).json() == {"initialized": False}


async def test_init_rejects_wrong_types_and_bad_json(fresh: InProcessServer) -> None:
    wrong = await fresh.client.put(
        "/v1/sys/init", json={"secret_shares": "x", "secret_threshold": 1}
    )
    assert wrong.status_code == 400
    assert "secret_shares" in wrong.json()["errors"][0]
    broken = await fresh.client.put("/v1/sys/init", content=b"{bad")
    assert broken.status_code == 400
    assert broken.json()["errors"][0].startswith("failed to decode JSON input")
    assert (await fresh.client.get("/v1/sys/init")).json() == {"initialized": False}


async def test_init_unseal_with_any_threshold_of_shares(fresh: InProcessServer) -> None:
    init = await fresh.client.put("/v1/sys/init", json={"secret_shares": 5, "secret_threshold": 3})
    assert init.status_code == 200
    body = init.json()
    assert len(body["keys"]) == len(body["keys_base64"]) == 5
    assert body["root_token"].startswith("hvs.")
    assert (
        await fresh.client.put("/v1/sys/init", json={"secret_shares": 1, "secret_threshold": 1})
    ).status_code == 400
    # hex for one share, base64 for the others: any three of the five.
    keys = [body["keys"][4], body["keys_base64"][1], body["keys"][2]]
    progress = []
    for key in keys:
        status = (await fresh.client.put("/v1/sys/unseal", json={"key": key})).json()
        progress.append((status["sealed"], status["progress"]))
    assert progress == [(True, 1), (True, 2), (False, 0)]
    health = await fresh.client.get("/v1/sys/health")
    assert health.status_code == 200
    assert health.json()["sealed"] is False


async def test_unseal_errors_change_nothing(fresh: InProcessServer) -> None:
    await fresh.client.put("/v1/sys/init", json={"secret_shares": 3, "secret_threshold": 2})
    cases = [
        ({"key": "zz!!"}, "'key' must be a valid hex or base64 string"),
        ({"key": "abcd"}, "invalid key: key is shorter than minimum 16 bytes"),
        ({"key": "00" * 34}, "invalid key: key is longer than maximum 33 bytes"),
        ({}, "'key' must be specified in request body as JSON, or 'reset' set to true"),
    ]
    for payload, message in cases:
        response = await fresh.client.put("/v1/sys/unseal", json=payload)
        assert response.status_code == 400
        assert response.json() == {"errors": [message]}
    status = (await fresh.client.get("/v1/sys/seal-status")).json()
    assert status["sealed"] is True and status["progress"] == 0


async def test_unseal_wrong_share_fails_and_resets(fresh: InProcessServer) -> None:
    body = (
        await fresh.client.put("/v1/sys/init", json={"secret_shares": 3, "secret_threshold": 2})
    ).json()
    await fresh.client.put("/v1/sys/unseal", json={"key": body["keys"][0]})
    wrong = await fresh.client.put("/v1/sys/unseal", json={"key": "ab" * 33})
    assert wrong.status_code == 400
    assert "invalid key" in wrong.json()["errors"][0]
    status = (await fresh.client.get("/v1/sys/seal-status")).json()
    assert status["sealed"] is True and status["progress"] == 0


async def test_unseal_shares_of_different_length(fresh: InProcessServer) -> None:
    body = (
        await fresh.client.put("/v1/sys/init", json={"secret_shares": 3, "secret_threshold": 2})
    ).json()
    await fresh.client.put("/v1/sys/unseal", json={"key": body["keys"][0]})
    response = await fresh.client.put("/v1/sys/unseal", json={"key": "ab" * 32})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        "invalid key: failed to compute combined key: all parts must be the same length"
    ]


async def test_unseal_duplicate_share_and_reset(fresh: InProcessServer) -> None:
    body = (
        await fresh.client.put("/v1/sys/init", json={"secret_shares": 3, "secret_threshold": 2})
    ).json()
    first = (await fresh.client.put("/v1/sys/unseal", json={"key": body["keys"][0]})).json()
    again = (await fresh.client.put("/v1/sys/unseal", json={"key": body["keys"][0]})).json()
    assert again["progress"] == 1 and again["nonce"] == first["nonce"]
    reset = (await fresh.client.put("/v1/sys/unseal", json={"reset": True})).json()
    assert reset["progress"] == 0 and reset["nonce"] == ""


async def test_unseal_before_init_is_400(fresh: InProcessServer) -> None:
    response = await fresh.client.put("/v1/sys/unseal", json={"key": "ab" * 33})
    assert response.status_code == 400
    assert response.json() == {"errors": ["Vault is not initialized"]}


async def test_seal_needs_a_token_and_then_seals() -> None:
    async with in_process_server() as server:
        denied = await server.client.put("/v1/sys/seal")
        assert denied.status_code == 403
        assert denied.json() == {"errors": ["permission denied"]}
        wrong = await server.client.put(
            "/v1/sys/seal", headers=server.auth("hvs.notarealtoken000000000000")
        )
        assert wrong.status_code == 403
        sealed = await server.client.put("/v1/sys/seal", headers=server.auth())
        assert sealed.status_code == 204
        health = await server.client.get("/v1/sys/health")
        assert health.status_code == 503
        assert health.json()["sealed"] is True
        after = await server.client.get("/v1/sys/key-status", headers=server.auth())
        assert after.status_code == 503
        assert after.json() == {"errors": ["Vault is sealed"]}
        leader = await server.client.get("/v1/sys/leader")
        # Without HA storage, OpenBao answers sys/leader while sealed too.
        assert (leader.status_code, leader.json()) == (200, {"ha_enabled": False})


async def test_bearer_token_header_is_accepted() -> None:
    async with in_process_server() as server:
        response = await server.client.get(
            "/v1/sys/key-status", headers={"Authorization": f"Bearer {server.root_token}"}
        )
        assert response.status_code == 200
        assert response.json()["data"]["term"] == 1


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 200),
        ("?activecode=299", 299),
        ("?standbyok=true", 200),
        ("?sealedcode=299", 200),
    ],
)
async def test_health_codes_unsealed(query: str, status: int) -> None:
    async with in_process_server() as server:
        response = await server.client.get("/v1/sys/health" + query)
        assert response.status_code == status
        head = await server.client.head("/v1/sys/health" + query)
        assert head.status_code == status
        assert head.content == b""


async def test_health_codes_sealed_and_uninitialised(fresh: InProcessServer) -> None:
    assert (await fresh.client.get("/v1/sys/health?uninitcode=299")).status_code == 299
    await fresh.init_and_unseal()
    await fresh.core.seal()
    assert (await fresh.client.get("/v1/sys/health")).status_code == 503
    assert (await fresh.client.get("/v1/sys/health?sealedcode=200")).status_code == 200
    bad = await fresh.client.get("/v1/sys/health?sealedcode=abc")
    assert bad.status_code == 400


async def test_leader_without_ha() -> None:
    async with in_process_server() as server:
        response = await server.client.get("/v1/sys/leader")
        assert response.status_code == 200
        assert response.json() == {"ha_enabled": False}


async def test_restart_on_same_storage_unseals_with_same_keys() -> None:
    from strongroom.storage import InmemStorage

    class KeepOpen(InmemStorage):
        async def close(self) -> None:
            return None

    storage = KeepOpen()
    async with in_process_server(storage) as first:
        await first.client.put("/v1/sys/rotate", headers=first.auth())
        keys, token = first.unseal_keys, first.root_token
    async with in_process_server(storage, initialized=False) as second:
        assert (await second.client.get("/v1/sys/seal-status")).json()["sealed"] is True
        await second.client.put("/v1/sys/unseal", json={"key": keys[0].hex()})
        status = await second.client.get("/v1/sys/key-status", headers=second.auth(token))
        assert status.status_code == 200
        assert status.json()["data"]["term"] == 2


async def test_unseal_and_seal_hooks_run_once_per_transition(fresh: InProcessServer) -> None:
    # The server command hangs its heap freezing on these (cli/heap.py).
    events: list[str] = []
    fresh.core.on_unseal(lambda: events.append("unsealed"))
    fresh.core.on_seal(lambda: events.append("sealed"))
    body = (
        await fresh.client.put("/v1/sys/init", json={"secret_shares": 3, "secret_threshold": 2})
    ).json()
    assert events == []  # init leaves the core sealed
    await fresh.client.put("/v1/sys/unseal", json={"key": body["keys"][0]})
    wrong = await fresh.client.put("/v1/sys/unseal", json={"key": body["keys"][0][:-2] + "00"})
    assert wrong.status_code == 400
    assert events == []
    await fresh.client.put("/v1/sys/unseal", json={"key": body["keys"][1]})
    await fresh.client.put("/v1/sys/unseal", json={"key": body["keys"][2]})  # already unsealed
    assert events == ["unsealed"]
    sealed = await fresh.client.put("/v1/sys/seal", headers={"X-Vault-Token": body["root_token"]})
    assert sealed.status_code == 204
    await fresh.core.seal()  # already sealed: nothing happens
    assert events == ["unsealed", "sealed"]
