"""Server logs: one JSON object per line with `log_format = "json"`, and never a secret."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.slow


def test_json_logs_hold_no_token_or_key(server_factory: Any) -> None:
    server = server_factory(
        top_extra='log_format = "json"\nlog_level = "debug"',
        listener_extra="disable_unauthed_rekey_endpoints = false",
    )
    secrets: list[str] = []
    with httpx.Client(base_url=server.address, timeout=5) as client:
        init = client.put("/v1/sys/init", json={"secret_shares": 3, "secret_threshold": 2}).json()
        secrets += [init["root_token"], *init["keys"], *init["keys_base64"]]
        for key in init["keys"][:2]:
            client.put("/v1/sys/unseal", json={"key": key})
        auth = {"X-Vault-Token": init["root_token"]}
        assert client.put("/v1/sys/rotate", headers=auth).status_code == 204
        rekey = client.put(
            "/v1/sys/rekey/init", json={"secret_shares": 2, "secret_threshold": 2}
        ).json()
        done: dict[str, Any] = {}
        for key in init["keys"][:2]:
            done = client.put(
                "/v1/sys/rekey/update", json={"key": key, "nonce": rekey["nonce"]}
            ).json()
        secrets += [*done["keys"], *done["keys_base64"]]
        attempt = client.put("/v1/sys/generate-root-token/attempt", json={}, headers=auth).json()[
            "data"
        ]
        secrets.append(attempt["otp"])
        for key in done["keys"]:
            result = client.put(
                "/v1/sys/generate-root-token/update",
                json={"key": key, "nonce": attempt["nonce"]},
                headers=auth,
            ).json()["data"]
        secrets.append(result["encoded_token"])
        # A request that fails inside the server must not leak its token either.
        client.get("/v1/sys/key-status", headers={"X-Vault-Token": "hvs.leakcheck000000000000000"})
        secrets.append("hvs.leakcheck000000000000000")
        assert client.put("/v1/sys/seal", headers=auth).status_code == 204
    assert server.stop() == 0
    lines = [line for line in server.log.splitlines() if line.strip()]
    assert any("unsealed" in line for line in lines)
    for line in lines:
        event = json.loads(line)
        assert {"@level", "@message", "@module", "@timestamp"} <= set(event)
        for secret in secrets:
            assert secret not in line
