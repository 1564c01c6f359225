"""Prometheus text and JSON renderings: Vault's names and types, and promtool's parser."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime

from prometheus_client.parser import text_string_to_metric_families

from strongroom.telemetry import Metrics, names, render_json, render_prometheus

CREATION = {
    "auth_method": "userpass",
    "creation_ttl": "+Inf",
    "mount_point": "auth/userpass/",
    "namespace": "root",
    "token_type": "service",
}

# vault-compat: name -> type as OpenBao 2.7.2 renders them on sys/metrics?format=prometheus.
EXPECTED_TYPES = {
    "vault_core_unsealed": "gauge",
    "vault_core_active": "gauge",
    "vault_core_in_flight_requests": "gauge",
    "vault_core_handle_request": "summary",
    "vault_core_handle_login_request": "summary",
    "vault_barrier_get": "summary",
    "vault_barrier_put": "summary",
    "vault_barrier_list": "summary",
    "vault_barrier_delete": "summary",
    "vault_audit_log_request": "summary",
    "vault_audit_log_response": "summary",
    "vault_audit_log_request_failure": "counter",
    "vault_audit_log_response_failure": "counter",
    "vault_expire_num_leases": "gauge",
    "vault_expire_revoke_failure": "counter",
    "vault_token_count": "gauge",
    "vault_token_creation": "counter",
    "vault_secret_kv_count": "gauge",
}


def busy_metrics() -> Metrics:
    metrics = Metrics(cluster_name="strongroom-cluster-1", clock=lambda: 50.0)
    metrics.gauge_callback(names.CORE_UNSEALED, lambda: 1)
    metrics.gauge_callback(names.CORE_ACTIVE, lambda: 1)
    metrics.set_gauge(names.CORE_IN_FLIGHT_REQUESTS, 0)
    metrics.set_gauge(names.EXPIRE_NUM_LEASES, 2)
    metrics.set_gauge(names.TOKEN_COUNT, 3, {"namespace": "root"})
    metrics.set_gauge(names.SECRET_KV_COUNT, 1, {"mount_point": "secret/", "namespace": "root"})
    for sample in (
        names.CORE_HANDLE_REQUEST,
        names.CORE_HANDLE_LOGIN_REQUEST,
        names.BARRIER_GET,
        names.BARRIER_PUT,
        names.BARRIER_LIST,
        names.BARRIER_DELETE,
        names.AUDIT_LOG_REQUEST,
        names.AUDIT_LOG_RESPONSE,
    ):
        metrics.observe(sample, 0.5)
    metrics.inc(names.TOKEN_CREATION, CREATION)
    metrics.inc(names.AUDIT_LOG_REQUEST_FAILURE)
    return metrics


def test_names_and_types_match_openbao() -> None:
    text = render_prometheus(busy_metrics())
    types = dict(re.findall(r"^# TYPE (\S+) (\S+)$", text, re.MULTILINE))
    assert types == EXPECTED_TYPES


def test_counters_keep_vaults_names_without_total() -> None:
    text = render_prometheus(busy_metrics())
    assert (
        'vault_token_creation{auth_method="userpass",cluster="strongroom-cluster-1",'
        'creation_ttl="+Inf",mount_point="auth/userpass/",namespace="root",'
        'token_type="service"} 1\n'
    ) in text
    assert "vault_audit_log_request_failure 1\n" in text
    assert "_total" not in text


def test_summaries_have_vaults_quantiles() -> None:
    text = render_prometheus(busy_metrics())
    assert 'vault_core_handle_request{quantile="0.5"} 0.5\n' in text
    assert 'vault_core_handle_request{quantile="0.99"} 0.5\n' in text
    assert "vault_core_handle_request_sum 0.5\nvault_core_handle_request_count 1\n" in text


def test_prefix_and_label_escaping() -> None:
    metrics = Metrics(prefix="strongroom", cluster_name='a"b\\c')
    metrics.set_gauge(names.CORE_ACTIVE, 1)
    text = render_prometheus(metrics)
    assert 'strongroom_core_active{cluster="a\\"b\\\\c"} 1\n' in text


def test_exposition_parses_with_prometheus_client() -> None:
    text = render_prometheus(busy_metrics())
    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert families["vault_core_unsealed"].samples[0].value == 1.0
    assert families["vault_core_handle_request"].type == "summary"


def test_exposition_passes_promtool() -> None:
    # promtool comes from Debian's `prometheus` package; a missing one is a failure, not a skip.
    promtool = shutil.which("promtool")
    assert promtool is not None, "promtool not installed: apt-get install -y prometheus"
    result = subprocess.run(
        [promtool, "check", "metrics"],
        input=render_prometheus(busy_metrics()),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    # Exit 1 is a parse error. Exit 3 is lint only; the sole lint allowed is the one Vault's
    # own output carries: counters without `_total`, gauges named `*_count` (token.count).
    problems = (result.stdout + result.stderr).splitlines()
    assert result.returncode in (0, 3), problems
    counters = {n for n, t in EXPECTED_TYPES.items() if t == "counter"}
    allowed = {f'{n} counter metrics should have "_total" suffix' for n in counters}
    allowed |= {
        f'{n} non-histogram and non-summary metrics should not have "_count" suffix'
        for n, t in EXPECTED_TYPES.items()
        if t == "gauge" and n.endswith("_count")
    }
    assert set(problems) <= allowed


def test_json_format_matches_openbao_shape() -> None:
    body = render_json(busy_metrics(), wall_time=datetime(2026, 11, 27, 5, 32, 20, tzinfo=UTC))
    assert body["Timestamp"] == "2026-11-27 05:32:20 +0000 UTC"
    assert list(body) == ["Timestamp", "Gauges", "Points", "Counters", "Samples"]
    gauges = {g["Name"]: g for g in body["Gauges"]}
    assert gauges["vault.core.unsealed"] == {
        "Name": "vault.core.unsealed",
        "Value": 1.0,
        "Labels": {"cluster": "strongroom-cluster-1"},
    }
    [creation] = [c for c in body["Counters"] if c["Name"] == "vault.token.creation"]
    assert creation["Count"] == 1
    assert creation["Rate"] == 0.1
    assert set(creation) == {
        "Name", "Count", "Rate", "Sum", "Min", "Max", "Mean", "Stddev", "Labels",
    }  # fmt: skip
    [sample] = [s for s in body["Samples"] if s["Name"] == "vault.core.handle_request"]
    assert (sample["Count"], sample["Sum"], sample["Stddev"]) == (1, 0.5, 0.0)


def test_json_shows_only_the_current_interval() -> None:
    now = [50.0]
    metrics = Metrics(clock=lambda: now[0])
    metrics.observe(names.BARRIER_GET, 1.0)
    metrics.observe(names.BARRIER_GET, 3.0)
    [sample] = render_json(metrics)["Samples"]
    assert (sample["Mean"], sample["Min"], sample["Max"]) == (2.0, 1.0, 3.0)
    assert sample["Stddev"] == 2.0**0.5
    now[0] = 61.0
    assert render_json(metrics)["Samples"] == []
