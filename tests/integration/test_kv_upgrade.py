"""Tuning a kv version 1 mount to `options.version=2` upgrades its secrets in place, as
OpenBao does: every secret becomes a v2 key with one version, all at once or not at all, and
no request reads or writes the mount while its data is being moved."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from strongroom.engines.kv._messages import ERR_UPGRADING, WARN_INVALID_PATH
from strongroom.engines.system.path_mounts import WARN_KV_UPGRADE
from strongroom.errors import StorageError
from strongroom.storage import Entry, InmemStorage, SQLiteStorage, TxnOp
from strongroom.testing.clock import FakeClock
from strongroom.testing.inprocess import InProcessServer, in_process_server

T0 = 1_700_000_000.25  # 2023-11-14T22:13:20.25Z
T0_TEXT = "2023-11-14T22:13:20.25Z"


class ControlledStorage(InmemStorage):
    """Inmem storage whose transactions can be made to fail or to wait, and whose reads of
    one key can be held, so tests can stop the server at a chosen await."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_transactions = False
        self.hold_transactions: asyncio.Event | None = None
        self.in_transaction = asyncio.Event()
        self.hold_reads_of: str | None = None
        self.release_reads = asyncio.Event()
        self.in_read = asyncio.Event()

    async def transaction(self, ops: Sequence[TxnOp]) -> None:
        if self.fail_transactions:
            raise StorageError("storage: injected transaction failure")
        if self.hold_transactions is not None:
            self.in_transaction.set()
            await self.hold_transactions.wait()
        await super().transaction(ops)

    async def get(self, key: str) -> Entry | None:
        if self.hold_reads_of is not None and key.endswith(self.hold_reads_of):
            self.in_read.set()
            await self.release_reads.wait()
        return await super().get(key)


async def _call(
    server: InProcessServer, method: str, path: str, body: dict[str, Any] | None = None
) -> httpx.Response:
    return await server.client.request(method, "/v1/" + path, json=body, headers=server.auth())


async def _v1_mount(server: InProcessServer, secrets: dict[str, dict[str, Any]]) -> None:
    created = await _call(
        server, "POST", "sys/mounts/old", {"type": "kv", "options": {"version": "1"}}
    )
    assert created.status_code == 204
    for path, secret in secrets.items():
        assert (await _call(server, "POST", f"old/{path}", secret)).status_code == 204


async def _upgrade(server: InProcessServer) -> httpx.Response:
    return await _call(server, "POST", "sys/mounts/old/tune", {"options": {"version": "2"}})


async def test_every_v1_secret_becomes_version_1_of_a_v2_key() -> None:
    clock = FakeClock(T0)
    async with in_process_server(clock=clock) as server:
        await _v1_mount(server, {"a": {"x": "1"}, "dir/b": {"y": "2", "n": 5, "l": [1, None]}})
        tuned = await _upgrade(server)
        assert tuned.status_code == 200
        assert tuned.json()["data"] is None
        assert tuned.json()["warnings"] == [WARN_KV_UPGRADE.format(1)]
        assert tuned.json()["warnings"][0].startswith(
            "Upgrading mount from version 1 to version 0."
        )

        read = (await _call(server, "GET", "old/data/a")).json()["data"]
        assert read == {
            "data": {"x": "1"},
            "metadata": {
                "created_time": T0_TEXT,
                "custom_metadata": None,
                "deletion_time": "",
                "destroyed": False,
                "version": 1,
            },
        }
        nested = (await _call(server, "GET", "old/data/dir/b")).json()["data"]["data"]
        assert nested == {"y": "2", "n": 5, "l": [1, None]}  # JSON types survive
        meta = (await _call(server, "GET", "old/metadata/a")).json()["data"]
        assert meta["current_version"] == 1 and meta["oldest_version"] == 1
        assert meta["max_versions"] == 0
        assert meta["created_time"] == meta["updated_time"] == T0_TEXT
        assert meta["versions"] == {
            "1": {"created_time": T0_TEXT, "deletion_time": "", "destroyed": False}
        }
        listed = await _call(server, "LIST", "old/metadata/")
        assert listed.json()["data"]["keys"] == ["a", "dir/"]
        config = (await _call(server, "GET", "old/config")).json()["data"]
        assert config == {
            "cas_required": False,
            "delete_version_after": "0s",
            "max_versions": 0,
            "metadata_cas_required": False,
        }
        old_style = await _call(server, "GET", "old/a")
        assert old_style.status_code == 404
        assert old_style.json()["warnings"] == [WARN_INVALID_PATH.format("get")]

        # and the upgraded mount is an ordinary v2 mount from now on
        written = await _call(server, "POST", "old/data/a", {"data": {"x": "2"}})
        assert written.json()["data"]["version"] == 2
        mount = (await _call(server, "GET", "sys/mounts/old/tune")).json()["data"]
        assert mount["options"] == {"version": "2"}


async def test_v1_names_that_look_like_the_v2_layout_are_kept() -> None:
    secrets = {
        "config": {"c": "1"},
        "metadata/x": {"m": "1"},
        "metadata/a": {"ma": "1"},
        "versions/q": {"v": "1"},
        "data/z": {"d": "1"},
        "a": {"x": "1"},
    }
    async with in_process_server() as server:
        await _v1_mount(server, secrets)
        assert (await _upgrade(server)).status_code == 200
        for path, secret in secrets.items():
            read = await _call(server, "GET", f"old/data/{path}")
            assert read.status_code == 200, path
            assert read.json()["data"]["data"] == secret
            assert read.json()["data"]["metadata"]["version"] == 1
        listed = (await _call(server, "LIST", "old/metadata/")).json()["data"]["keys"]
        assert listed == ["a", "config", "data/", "metadata/", "versions/"]
        nested = (await _call(server, "LIST", "old/metadata/metadata/")).json()["data"]["keys"]
        assert nested == ["a", "x"]
        # the v1 secret named "config" did not become the mount's settings
        config = (await _call(server, "GET", "old/config")).json()["data"]
        assert config["max_versions"] == 0 and "c" not in config


async def test_tune_details() -> None:
    async with in_process_server() as server:
        await _call(server, "POST", "sys/mounts/plain", {"type": "kv"})
        await _call(server, "POST", "plain/a", {"x": "1"})
        tuned = await _call(
            server, "POST", "sys/mounts/plain/tune", {"options": {"version": "2", "foo": "bar"}}
        )
        assert tuned.json()["warnings"] == [WARN_KV_UPGRADE.format(0)]
        options = (await _call(server, "GET", "sys/mounts/plain/tune")).json()["data"]["options"]
        assert options == {"version": "2", "foo": "bar"}
        again = await _call(server, "POST", "sys/mounts/plain/tune", {"options": {"version": 2}})
        assert again.status_code == 204
        down = await _call(server, "POST", "sys/mounts/plain/tune", {"options": {"version": "1"}})
        assert down.status_code == 400
        assert down.json()["errors"] == ["cannot downgrade mount from version 2"]

        await _call(server, "POST", "sys/mounts/empty", {"type": "kv", "options": {"version": "1"}})
        for version, error in (
            ("3", "invalid version provided: 3"),
            ("", "invalid version provided: 0"),
            ("abc", 'unable to parse options: strconv.ParseInt: parsing "abc": invalid syntax'),
        ):
            bad = await _call(
                server, "POST", "sys/mounts/empty/tune", {"options": {"version": version}}
            )
            assert bad.status_code == 400
            assert bad.json()["errors"] == [error]
        same = await _call(server, "POST", "sys/mounts/empty/tune", {"options": {"version": "1"}})
        assert same.status_code == 204
        assert (await _upgrade_path(server, "empty")).status_code == 200
        assert (await _call(server, "LIST", "empty/metadata/")).status_code == 404


async def _upgrade_path(server: InProcessServer, mount: str) -> httpx.Response:
    return await _call(server, "POST", f"sys/mounts/{mount}/tune", {"options": {"version": "2"}})


async def test_a_failed_upgrade_leaves_the_mount_version_1() -> None:
    storage = ControlledStorage()
    async with in_process_server(storage) as server:
        await _v1_mount(server, {"a": {"x": "1"}, "config": {"c": "1"}})
        storage.fail_transactions = True
        failed = await _upgrade(server)
        assert failed.status_code == 500
        storage.fail_transactions = False

        assert (await _call(server, "GET", "old/a")).json()["data"] == {"x": "1"}
        assert (await _call(server, "GET", "old/config")).json()["data"] == {"c": "1"}
        listed = await _call(server, "LIST", "old/")
        assert listed.json()["data"]["keys"] == ["a", "config"]
        options = (await _call(server, "GET", "sys/mounts/old/tune")).json()["data"]["options"]
        assert options == {"version": "1"}
        assert (await _call(server, "POST", "old/b", {"y": "2"})).status_code == 204

        # the same request succeeds once storage works again
        assert (await _upgrade(server)).status_code == 200
        assert (await _call(server, "GET", "old/data/b")).json()["data"]["data"] == {"y": "2"}


async def test_no_request_is_served_while_the_data_moves() -> None:
    storage = ControlledStorage()
    async with in_process_server(storage) as server:
        await _v1_mount(server, {"a": {"x": "1"}})
        storage.hold_transactions = asyncio.Event()
        tune = asyncio.create_task(_upgrade(server))
        await asyncio.wait_for(storage.in_transaction.wait(), 5)

        for method, path, body in (
            ("GET", "old/a", None),
            ("POST", "old/a", {"x": "changed"}),
            ("POST", "old/new", {"y": "1"}),
            ("LIST", "old/", None),
            ("DELETE", "old/a", None),
        ):
            refused = await _call(server, method, path, body)
            assert refused.status_code == 400, (method, path)
            assert refused.json()["errors"] == [ERR_UPGRADING]

        storage.hold_transactions.set()
        assert (await tune).status_code == 200
        assert (await _call(server, "GET", "old/data/a")).json()["data"]["data"] == {"x": "1"}
        assert (await _call(server, "GET", "old/data/new")).status_code == 404


async def test_the_upgrade_waits_for_requests_already_in_progress() -> None:
    storage = ControlledStorage()
    async with in_process_server(storage) as server:
        await _v1_mount(server, {"a": {"x": "1"}})
        storage.hold_reads_of = "/a"
        read = asyncio.create_task(_call(server, "GET", "old/a"))
        await asyncio.wait_for(storage.in_read.wait(), 5)
        storage.hold_reads_of = None
        tune = asyncio.create_task(_upgrade(server))
        await asyncio.sleep(0.05)
        assert not tune.done()  # waits for the v1 read
        storage.release_reads.set()
        assert (await read).json()["data"] == {"x": "1"}
        assert (await tune).status_code == 200
        assert (await _call(server, "GET", "old/data/a")).json()["data"]["data"] == {"x": "1"}


async def test_the_upgrade_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "strongroom.db"
    async with in_process_server(SQLiteStorage(path)) as server:
        await _v1_mount(server, {"a": {"x": "1"}, "metadata/x": {"m": 2}})
        assert (await _upgrade(server)).status_code == 200
        keys, root = server.unseal_keys, server.root_token
    async with in_process_server(SQLiteStorage(path), initialized=False) as again:
        await again.core.submit_unseal_share(keys[0])
        again.root_token = root
        assert (await _call(again, "GET", "old/data/a")).json()["data"]["data"] == {"x": "1"}
        read = await _call(again, "GET", "old/data/metadata/x")
        assert read.json()["data"]["data"] == {"m": 2}
        options = (await _call(again, "GET", "sys/mounts/old/tune")).json()["data"]["options"]
        assert options == {"version": "2"}


@pytest.mark.parametrize("version", ["1", ""])
async def test_the_upgrade_warning_names_the_stored_version(version: str) -> None:
    async with in_process_server() as server:
        options = {"version": version} if version else {}
        await _call(server, "POST", "sys/mounts/kv1", {"type": "kv", "options": options})
        tuned = await _upgrade_path(server, "kv1")
        assert tuned.json()["warnings"] == [WARN_KV_UPGRADE.format(version or "0")]
