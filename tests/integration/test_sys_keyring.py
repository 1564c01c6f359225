"""Keyring endpoints and the generic HTTP behaviour around them (in-process)."""

from __future__ import annotations

import base64

import pytest

from strongroom.http import ListenerOptions
from strongroom.testing.inprocess import in_process_server


async def test_rotate_increments_term_and_old_data_still_reads() -> None:
    async with in_process_server() as server:
        before = (await server.client.get("/v1/sys/key-status", headers=server.auth())).json()
        assert before["term"] == before["data"]["term"] == 1  # OpenBao copies data to the top
        assert before["data"]["install_time"].endswith("Z")
        for path in ("/v1/sys/rotate", "/v1/sys/rotate/keyring"):
            assert (await server.client.post(path, headers=server.auth())).status_code == 204
        after = (await server.client.get("/v1/sys/key-status", headers=server.auth())).json()
        assert after["data"]["term"] == 3
        # The root token was written under term 1 and still authenticates.
        assert (
            await server.client.get("/v1/sys/key-status", headers=server.auth())
        ).status_code == 200


async def test_rotate_config_read_write_and_validation() -> None:
    async with in_process_server() as server:
        url = "/v1/sys/rotate/config"
        default = (await server.client.get(url, headers=server.auth())).json()["data"]
        assert default == {"enabled": True, "interval": 0, "max_operations": 3865470566}
        bad = [
            ({"max_operations": 5}, "max_operations must be in the range [1000000,3865470566]"),
            (
                {"max_operations": 99999999999},
                "max_operations must be in the range [1000000,3865470566]",
            ),
            ({"interval": "1h"}, "interval must be greater or equal to 24h0m0s"),
        ]
        for body, message in bad:
            response = await server.client.post(url, json=body, headers=server.auth())
            assert response.status_code == 400
            assert response.json() == {"errors": [message]}
        wrong_type = await server.client.post(url, json={"enabled": "maybe"}, headers=server.auth())
        assert wrong_type.status_code == 400
        assert "enabled" in wrong_type.json()["errors"][0]
        assert (await server.client.get(url, headers=server.auth())).json()["data"] == default
        ok = await server.client.post(
            url, json={"interval": "25h", "max_operations": 2000000}, headers=server.auth()
        )
        assert ok.status_code == 204
        stored = (await server.client.get(url, headers=server.auth())).json()["data"]
        assert stored == {"enabled": True, "interval": "25h0m0s", "max_operations": 2000000}


async def test_unknown_paths_methods_and_tokens() -> None:
    async with in_process_server() as server:
        no_token = await server.client.get("/v1/nope/x")
        assert (no_token.status_code, no_token.json()) == (403, {"errors": ["permission denied"]})
        missing = await server.client.get("/v1/nope/x", headers=server.auth())
        assert missing.status_code == 404
        assert missing.json() == {
            "errors": ['no handler for route "nope/x". route entry not found.']
        }
        unknown_sys = await server.client.get("/v1/sys/nope", headers=server.auth())
        assert (unknown_sys.status_code, unknown_sys.json()) == (
            404,
            {"errors": ["unsupported path"]},
        )
        wrong_op = await server.client.delete("/v1/sys/key-status", headers=server.auth())
        assert wrong_op.status_code == 405
        assert (
            await server.client.request("BREW", "/v1/sys/key-status", headers=server.auth())
        ).status_code == 405
        outside = await server.client.get("/v2/sys/health")
        assert outside.status_code == 404


async def test_oversized_body_is_413_and_changes_nothing() -> None:
    async with in_process_server(options=ListenerOptions(max_request_size=1024)) as server:
        big = {"max_operations": 2000000, "pad": "x" * 4096}
        response = await server.client.post(
            "/v1/sys/rotate/config", json=big, headers=server.auth()
        )
        assert response.status_code == 413
        assert response.json() == {"errors": ["http: request body too large"]}
        config = (await server.client.get("/v1/sys/rotate/config", headers=server.auth())).json()
        assert config["data"]["max_operations"] == 3865470566


async def test_json_body_must_be_an_object() -> None:
    async with in_process_server() as server:
        response = await server.client.post(
            "/v1/sys/rotate/config", content=b"[1,2]", headers=server.auth()
        )
        assert response.status_code == 400
        assert response.json()["errors"][0].startswith("failed to decode JSON input")


async def test_unknown_parameters_are_ignored_and_warned_only_with_content() -> None:
    async with in_process_server() as server:
        quiet = await server.client.post(
            "/v1/sys/rotate/config",
            json={"max_operations": 2000000, "bogus": 1},
            headers=server.auth(),
        )
        assert quiet.status_code == 204  # OpenBao says nothing on an empty response
        loud = await server.client.post(
            "/v1/auth/token/create", json={"bogus": 1}, headers=server.auth()
        )
        assert loud.json()["warnings"] == [
            "Endpoint ignored these unrecognized parameters: [bogus]"
        ]


async def test_help_and_openapi_come_from_the_path_declarations() -> None:
    async with in_process_server() as server:
        help_body = (
            await server.client.get("/v1/sys/rotate/config?help=1", headers=server.auth())
        ).json()
        assert help_body["help"].startswith("Request:        rotate/config")
        assert "max_operations (int)" in help_body["help"]
        assert "/sys/rotate/config" in help_body["openapi"]["paths"]
        doc = (
            await server.client.get("/v1/sys/internal/specs/openapi", headers=server.auth())
        ).json()
        assert doc["openapi"] == "3.0.2"
        paths = doc["paths"]
        assert {"/sys/rotate", "/sys/rotate/keyring", "/sys/key-status", "/sys/seal"} <= set(paths)
        body = paths["/sys/rotate/config"]["post"]["requestBody"]["content"]["application/json"]
        assert body["schema"]["properties"]["interval"]["format"] == "duration"
        anonymous = (await server.client.get("/v1/sys/internal/specs/openapi")).json()
        assert anonymous["paths"] == {}


@pytest.mark.parametrize("verb", ["LIST", "GET"])
async def test_list_verb_and_query_reach_the_same_operation(verb: str) -> None:
    async with in_process_server() as server:
        url = "/v1/sys/key-status" if verb == "LIST" else "/v1/sys/key-status?list=true"
        response = await server.client.request(verb, url, headers=server.auth())
        # Both spellings are LIST, which adds a trailing slash: OpenBao answers 404 here too.
        assert response.status_code == 404
        assert response.json() == {"errors": ["unsupported path"]}


async def test_generate_root_with_otp_gives_a_working_root_token() -> None:
    options = ListenerOptions(disable_unauthed_generate_root_endpoints=False)
    async with in_process_server(options=options) as server:
        start = (await server.client.put("/v1/sys/generate-root/attempt", json={})).json()
        assert start["started"] is True and len(start["otp"]) == start["otp_length"] == 28
        bad_nonce = await server.client.put(
            "/v1/sys/generate-root/update", json={"key": server.unseal_keys[0].hex(), "nonce": "x"}
        )
        assert bad_nonce.status_code == 400
        done = (
            await server.client.put(
                "/v1/sys/generate-root/update",
                json={"key": server.unseal_keys[0].hex(), "nonce": start["nonce"]},
            )
        ).json()
        assert done["complete"] is True
        raw = base64.b64decode(done["encoded_token"] + "=" * (-len(done["encoded_token"]) % 4))
        token = bytes(a ^ b for a, b in zip(raw, start["otp"].encode(), strict=True)).decode()
        assert token.startswith("hvs.") and token != server.root_token
        usable = await server.client.get("/v1/sys/key-status", headers=server.auth(token))
        assert usable.status_code == 200
        status = (await server.client.get("/v1/sys/generate-root/attempt")).json()
        assert status["started"] is False


async def test_unauthenticated_rekey_and_generate_root_are_off_by_default() -> None:
    async with in_process_server() as server:
        for path in ("/v1/sys/rekey/init", "/v1/sys/generate-root/attempt"):
            response = await server.client.put(path, json={}, headers=server.auth())
            assert response.status_code == 405
            assert response.json() == {"errors": ["unsupported operation"]}


async def test_rekey_then_unseal_with_new_shares() -> None:
    options = ListenerOptions(disable_unauthed_rekey_endpoints=False)
    async with in_process_server(options=options) as server:
        start = (
            await server.client.put(
                "/v1/sys/rekey/init", json={"secret_shares": 3, "secret_threshold": 2}
            )
        ).json()
        assert (start["started"], start["t"], start["n"], start["required"]) == (True, 2, 3, 1)
        busy = await server.client.put(
            "/v1/sys/rekey/init", json={"secret_shares": 3, "secret_threshold": 2}
        )
        assert busy.status_code == 400
        done = (
            await server.client.put(
                "/v1/sys/rekey/update",
                json={"key": server.unseal_keys[0].hex(), "nonce": start["nonce"]},
            )
        ).json()
        assert done["complete"] is True and len(done["keys"]) == 3
        await server.core.seal()
        old = await server.client.put("/v1/sys/unseal", json={"key": server.unseal_keys[0].hex()})
        assert old.json()["sealed"] is True  # the old key alone no longer unseals
        await server.client.put("/v1/sys/unseal", json={"reset": True})
        for key in done["keys_base64"][1:]:
            await server.client.put("/v1/sys/unseal", json={"key": key})
        assert (await server.client.get("/v1/sys/seal-status")).json()["sealed"] is False
        status = (await server.client.get("/v1/sys/seal-status")).json()
        assert (status["t"], status["n"]) == (2, 3)


async def test_rekey_with_verification() -> None:
    options = ListenerOptions(disable_unauthed_rekey_endpoints=False)
    async with in_process_server(options=options) as server:
        start = (
            await server.client.put(
                "/v1/sys/rekey/init",
                json={"secret_shares": 2, "secret_threshold": 2, "require_verification": True},
            )
        ).json()
        done = (
            await server.client.put(
                "/v1/sys/rekey/update",
                json={"key": server.unseal_keys[0].hex(), "nonce": start["nonce"]},
            )
        ).json()
        assert done["verification_required"] is True
        nonce = done["verification_nonce"]
        # Not yet committed: the old key still describes the seal.
        assert (await server.client.get("/v1/sys/seal-status")).json()["n"] == 1
        first = (
            await server.client.put(
                "/v1/sys/rekey/verify", json={"key": done["keys"][0], "nonce": nonce}
            )
        ).json()
        assert first["progress"] == 1 and first["started"] is True  # OpenBao's progress shape
        second = (
            await server.client.put(
                "/v1/sys/rekey/verify", json={"key": done["keys"][1], "nonce": nonce}
            )
        ).json()
        assert second["complete"] is True
        assert (await server.client.get("/v1/sys/seal-status")).json()["n"] == 2
