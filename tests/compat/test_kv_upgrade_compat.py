"""Upgrading a kv version 1 mount to version 2 with `sys/mounts/<path>/tune`: the same
requests give the same answers from Strongroom and OpenBao (run against both). OpenBao moves
the data in the background and answers 400 "Upgrading from non-versioned to versioned data"
meanwhile; Strongroom moves it before it answers the tune, so reads here retry that error."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.compat.conftest import ROOT, DevTarget

pytestmark = pytest.mark.compat

UPGRADING = (
    "Upgrading from non-versioned to versioned data. This backend will be unavailable for a "
    "brief period and will resume service shortly."
)
WARNING = (
    "Upgrading mount from version {} to version 0. This mount will be unavailable for a brief "
    "period and will resume service shortly."
)
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
SECRETS: dict[str, dict[str, Any]] = {
    "a": {"x": "1"},
    "dir/b": {"y": "2", "n": 5},
    "config": {"c": "1"},
    "metadata/x": {"m": "1"},
}


@pytest.fixture
def client(dev_target: DevTarget) -> Iterator[httpx.Client]:
    headers = {"X-Vault-Token": ROOT}
    with httpx.Client(base_url=dev_target.address + "/v1/", headers=headers, timeout=10) as c:
        yield c


def _settled(client: httpx.Client, method: str, path: str) -> httpx.Response:
    """The answer once the mount is no longer upgrading (OpenBao upgrades in the background)."""
    deadline = time.monotonic() + 10
    while True:
        response = client.request(method, path)
        upgrading = response.status_code == 400 and response.json()["errors"] == [UPGRADING]
        if not upgrading or time.monotonic() > deadline:
            return response
        time.sleep(0.05)


def _v1_mount(client: httpx.Client, path: str, options: dict[str, str]) -> None:
    created = client.post(f"sys/mounts/{path}", json={"type": "kv", "options": options})
    assert created.status_code == 204
    for key, secret in SECRETS.items():
        assert client.post(f"{path}/{key}", json=secret).status_code == 204


def test_tune_to_version_2_upgrades_the_secrets(client: httpx.Client) -> None:
    _v1_mount(client, "old", {"version": "1"})
    tuned = client.post("sys/mounts/old/tune", json={"options": {"version": "2"}})
    assert tuned.status_code == 200
    assert tuned.json()["data"] is None
    assert tuned.json()["warnings"] == [WARNING.format(1)]

    for key, secret in SECRETS.items():
        read = _settled(client, "GET", f"old/data/{key}")
        assert read.status_code == 200, key
        body = read.json()["data"]
        assert body["data"] == secret
        created = body["metadata"].pop("created_time")
        assert RFC3339.fullmatch(created)
        assert body["metadata"] == {
            "custom_metadata": None,
            "deletion_time": "",
            "destroyed": False,
            "version": 1,
        }
    meta = _settled(client, "GET", "old/metadata/a").json()["data"]
    assert meta["current_version"] == 1 and meta["oldest_version"] == 1
    assert meta["max_versions"] == 0 and meta["current_metadata_version"] == 0
    assert meta["created_time"] == meta["updated_time"] == meta["versions"]["1"]["created_time"]
    listed = _settled(client, "LIST", "old/metadata/")
    assert listed.json()["data"]["keys"] == ["a", "config", "dir/", "metadata/"]
    assert _settled(client, "GET", "old/config").json()["data"] == {
        "cas_required": False,
        "delete_version_after": "0s",
        "max_versions": 0,
        "metadata_cas_required": False,
    }
    old_style = _settled(client, "GET", "old/a")
    assert old_style.status_code == 404
    assert old_style.json()["data"] is None
    assert old_style.json()["warnings"] == [
        "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate "
        "API endpoints to use. If using the OpenBao CLI, use 'bao kv get' for this operation."
    ]

    again = client.post("sys/mounts/old/tune", json={"options": {"version": "2"}})
    assert again.status_code == 204
    down = client.post("sys/mounts/old/tune", json={"options": {"version": "1"}})
    assert down.status_code == 400
    assert down.json()["errors"] == ["cannot downgrade mount from version 2"]


def test_tune_merges_options_and_names_a_missing_version_0(client: httpx.Client) -> None:
    _v1_mount(client, "plain", {})
    tuned = client.post("sys/mounts/plain/tune", json={"options": {"version": "2", "foo": "bar"}})
    assert tuned.status_code == 200
    assert tuned.json()["warnings"] == [WARNING.format(0)]
    options = client.get("sys/mounts/plain/tune").json()["data"]["options"]
    assert options == {"foo": "bar", "version": "2"}
    read = _settled(client, "GET", "plain/data/dir/b")
    assert read.json()["data"]["data"] == {"y": "2", "n": 5}


@pytest.mark.parametrize(
    ("version", "error"),
    [
        ("3", "invalid version provided: 3"),
        ("", "invalid version provided: 0"),
        ("abc", 'unable to parse options: strconv.ParseInt: parsing "abc": invalid syntax'),
    ],
)
def test_a_bad_version_is_refused(client: httpx.Client, version: str, error: str) -> None:
    client.post("sys/mounts/v1", json={"type": "kv", "options": {"version": "1"}})
    client.post("v1/a", json={"x": "1"})
    bad = client.post("sys/mounts/v1/tune", json={"options": {"version": version}})
    assert bad.status_code == 400
    assert bad.json()["errors"] == [error]
    assert client.get("sys/mounts/v1/tune").json()["data"]["options"] == {"version": "1"}
    assert client.get("v1/a").json()["data"] == {"x": "1"}
