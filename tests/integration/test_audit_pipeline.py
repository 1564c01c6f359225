"""Audit devices in the request pipeline: every request and response recorded, no secret in
the clear, sys/audit-hash, fail closed, and API creation only when the config allows it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

from strongroom.audit import AuditDevice
from strongroom.core import CoreOptions
from strongroom.testing.inprocess import in_process_server

SECRET = "hunter2-correct-horse"


async def test_api_audit_creation_is_refused_by_default(tmp_path: Path) -> None:
    async with in_process_server() as server:
        response = await server.client.put(
            "/v1/sys/audit/file",
            json={"type": "file", "options": {"file_path": str(tmp_path / "a")}},
            headers=server.auth(),
        )
        assert response.status_code == 400
        assert "cannot enable audit device via API" in response.json()["errors"][0]


async def test_requests_and_responses_are_logged_hmaced(tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    options = CoreOptions(unsafe_allow_api_audit_creation=True)
    async with in_process_server(core_options=options) as server:
        enabled = await server.client.put(
            "/v1/sys/audit/file",
            json={"type": "file", "options": {"file_path": str(log)}},
            headers=server.auth(),
        )
        assert enabled.status_code == 204
        listed = (await server.client.get("/v1/sys/audit", headers=server.auth())).json()
        assert listed["data"]["file/"]["type"] == "file"
        await server.client.post("/v1/sys/mounts/kv", json={"type": "kv"}, headers=server.auth())
        await server.client.put("/v1/kv/app", json={"password": SECRET}, headers=server.auth())
        read = await server.client.get("/v1/kv/app", headers=server.auth())
        assert read.json()["data"] == {"password": SECRET}
        hashed = await server.client.put(
            "/v1/sys/audit-hash/file", json={"input": SECRET}, headers=server.auth()
        )
        expected = hashed.json()["data"]["hash"]
        text = log.read_text()
        records = [json.loads(line) for line in text.splitlines()]
        assert {r["type"] for r in records} == {"request", "response"}
        assert SECRET not in text and server.root_token not in text
        writes = [r for r in records if r["request"].get("path") == "kv/app"]
        assert any(r["request"].get("data", {}).get("password") == expected for r in writes)
        assert all(r.get("strongroom_chain") for r in records)
        disabled = await server.client.delete("/v1/sys/audit/file", headers=server.auth())
        assert disabled.status_code == 204


class _Broken:
    """An audit device that cannot record anything."""

    path = "broken/"
    type = "file"
    options: ClassVar[dict[str, str]] = {}

    async def log_request(self, entry: object) -> None:
        raise OSError(28, "No space left on device")

    async def log_response(self, entry: object) -> None:
        raise OSError(28, "No space left on device")

    async def reopen(self) -> None:
        return None

    async def close(self) -> None:
        return None


async def test_fail_closed_when_no_device_can_record() -> None:
    async with in_process_server() as server:
        device: AuditDevice = _Broken()  # type: ignore[assignment]
        server.core.audit.add(device)
        response = await server.client.get("/v1/sys/mounts", headers=server.auth())
        assert response.status_code == 500
        server.core.audit.remove("broken/")
        assert (await server.client.get("/v1/sys/mounts", headers=server.auth())).status_code == 200


async def test_chain_key_export_lets_an_operator_verify_the_log(tmp_path: Path) -> None:
    from strongroom.cli.audit_verify import verify_command

    log = tmp_path / "audit.log"
    options = CoreOptions(unsafe_allow_api_audit_creation=True)
    async with in_process_server(core_options=options) as server:
        await server.client.put(
            "/v1/sys/audit/file",
            json={"type": "file", "options": {"file_path": str(log)}},
            headers=server.auth(),
        )
        for _ in range(3):
            await server.client.get("/v1/sys/mounts", headers=server.auth())
        chain = (await server.client.get("/v1/sys/audit-chain/file", headers=server.auth())).json()
    key_file = tmp_path / "key"
    key_file.write_text(chain["data"]["chain_key"])
    assert verify_command([f"-key-file={key_file}", str(log)]) == 0
    lines = log.read_text().splitlines()
    del lines[2]
    log.write_text("\n".join(lines) + "\n")
    assert verify_command([f"-key-file={key_file}", str(log)]) == 2


async def test_audited_request_headers(tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    options = CoreOptions(unsafe_allow_api_audit_creation=True)
    async with in_process_server(core_options=options) as server:
        await server.client.put(
            "/v1/sys/audit/file",
            json={"type": "file", "options": {"file_path": str(log)}},
            headers=server.auth(),
        )
        url = "/v1/sys/config/auditing/request-headers"
        await server.client.put(
            f"{url}/X-Request-Source", json={"hmac": False}, headers=server.auth()
        )
        await server.client.put(f"{url}/X-Secret-Hint", json={"hmac": True}, headers=server.auth())
        listed = (await server.client.get(url, headers=server.auth())).json()["data"]["headers"]
        assert listed == {"x-request-source": {"hmac": False}, "x-secret-hint": {"hmac": True}}
        missing = await server.client.get(f"{url}/nope", headers=server.auth())
        assert missing.json() == {"errors": ["Could not find header in config"]}
        await server.client.get(
            "/v1/sys/mounts",
            headers={**server.auth(), "X-Request-Source": "ci", "X-Secret-Hint": "sesame"},
        )
    records = [json.loads(line) for line in log.read_text().splitlines()]
    mounts = [r for r in records if r["request"].get("path") == "sys/mounts"]
    headers = mounts[0]["request"]["headers"]
    assert headers["x-request-source"] == ["ci"]
    assert headers["x-secret-hint"][0].startswith("hmac-sha256:")
