"""sys/metrics: a token is required unless the listener allows unauthenticated access."""

from __future__ import annotations

from strongroom.http import ListenerOptions
from strongroom.testing.inprocess import in_process_server


async def test_metrics_need_a_token_by_default() -> None:
    async with in_process_server() as server:
        assert (await server.client.get("/v1/sys/metrics")).status_code == 403
        with_token = await server.client.get("/v1/sys/metrics", headers=server.auth())
        assert with_token.status_code == 200
        assert any(g["Name"] == "vault.core.unsealed" for g in with_token.json()["Gauges"])


async def test_listener_can_allow_unauthenticated_metrics() -> None:
    options = ListenerOptions(unauthenticated_metrics_access=True)
    async with in_process_server(options=options) as server:
        response = await server.client.get("/v1/sys/metrics", params={"format": "prometheus"})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
        assert "vault_core_unsealed" in response.text
        # only sys/metrics: everything else still needs a token
        assert (await server.client.get("/v1/sys/mounts")).status_code == 403
