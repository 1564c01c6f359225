"""A real Prometheus server scrapes a real Strongroom server's `sys/metrics?format=prometheus`
(with a bearer token, as Vault's docs configure it), and finds Vault's metric names."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from strongroom.testing.process import free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def strongroom(server_factory: Any) -> tuple[str, str]:
    """(address, root token) of an unsealed server with the Prometheus sink on."""
    server = server_factory(
        top_extra='cluster_name = "strongroom-cluster-test"\n'
        'telemetry {\n  prometheus_retention_time = "30s"\n  disable_hostname = true\n}'
    )
    with httpx.Client(base_url=server.address, timeout=5) as client:
        init = client.put("/v1/sys/init", json={"secret_shares": 1, "secret_threshold": 1}).json()
        client.put("/v1/sys/unseal", json={"key": init["keys"][0]})
        root = {"X-Vault-Token": init["root_token"]}
        for _ in range(2):
            client.post("/v1/auth/token/create", json={"ttl": "1h"}, headers=root)
        refused = client.get("/v1/sys/metrics", params={"format": "prometheus"})
        assert refused.status_code == 403  # a token is required
    return server.address, init["root_token"]


@pytest.fixture
def prometheus(tmp_path: Path, strongroom: tuple[str, str]) -> Iterator[int]:
    binary = shutil.which("prometheus")
    assert binary is not None, "prometheus not installed: apt-get install -y prometheus"
    address, token = strongroom
    target_port = int(address.rsplit(":", 1)[1])
    config = tmp_path / "prometheus.yml"
    # JSON is YAML; a bearer token as Vault's docs configure the scrape.
    scrape = {
        "global": {"scrape_interval": "1s", "scrape_timeout": "1s"},
        "scrape_configs": [
            {
                "job_name": "strongroom",
                "metrics_path": "/v1/sys/metrics",
                "params": {"format": ["prometheus"]},
                "authorization": {"type": "Bearer", "credentials": token},
                "static_configs": [{"targets": [f"127.0.0.1:{target_port}"]}],
            }
        ],
    }
    config.write_text(json.dumps(scrape))
    port = free_port()
    log = (tmp_path / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _api(port: int, endpoint: str) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{endpoint}", timeout=2) as reply:
            result: dict[str, object] = json.load(reply)
            return result
    except OSError:
        return None


def wait_query_value(port: int, query: str, timeout: float = 30.0) -> list[object]:
    """Poll Prometheus' query API until `query` has a result; return the result vector."""
    deadline = time.monotonic() + timeout
    endpoint = "/api/v1/query?" + urllib.parse.urlencode({"query": query})
    while time.monotonic() < deadline:
        answer = _api(port, endpoint)
        if answer is not None:
            data = answer.get("data")
            if isinstance(data, dict) and data.get("result"):
                result: list[object] = data["result"]
                return result
        time.sleep(0.25)
    targets = _api(port, "/api/v1/targets")
    raise AssertionError(f"no result for {query!r} in {timeout}s; targets: {targets}")


def test_prometheus_scrapes_vault_names(prometheus: int) -> None:
    [unsealed] = wait_query_value(prometheus, "vault_core_unsealed")
    assert isinstance(unsealed, dict)
    assert unsealed["metric"]["cluster"] == "strongroom-cluster-test"
    assert unsealed["value"][1] == "1"
    [leases] = wait_query_value(prometheus, "vault_expire_num_leases")
    assert isinstance(leases, dict) and leases["value"][1] == "2"  # the two tokens with TTLs
    [up] = wait_query_value(prometheus, 'up{job="strongroom"}')
    assert isinstance(up, dict) and up["value"][1] == "1"
    [count] = wait_query_value(prometheus, 'vault_core_handle_request_count{job="strongroom"}')
    assert isinstance(count, dict) and float(count["value"][1]) > 0
