"""The pure parts of `python -m bench`: wrk output and /proc parsing, medians and ratios,
the Markdown table and JSON, the generated Lua, and the setup refusal classification."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from bench.report import (
    Outcome,
    Report,
    Sample,
    ServerInfo,
    Settings,
    error_lines,
    format_figure,
    median_of,
    notes,
    ratio,
    ratios,
    render_markdown,
    report_json,
    summarize,
    table_rows,
)
from bench.servers import (
    openbao_config,
    parse_core_busy_ticks,
    parse_cpu_ticks,
    parse_vm_hwm_kib,
)
from bench.setup import Refusal, refusal_from
from bench.workloads import WORKLOADS, Credentials, lua_string, render_script, select_workloads
from bench.wrk import WrkError, WrkResult, parse_wrk_output, wrk_command

# A real wrk 4.1.0 report with the line printed by the generated Lua done() hook.
WRK_OUTPUT = """\
Running 2s test @ http://127.0.0.1:40751
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    13.43ms    8.37ms  41.53ms   63.10%
    Req/Sec     2.43k   275.67     2.81k    60.00%
  Latency Distribution
     50%   13.18ms
     75%   19.49ms
     90%   25.05ms
     99%   33.26ms
  4838 requests in 2.00s, 3.76MB read
  Non-2xx or 3xx responses: 7
Requests/sec:   2417.96
Transfer/sec:      1.88MB
BENCH_RESULT {"requests":4838,"duration_us":2000860,"p50_us":13178.0,"p99_us":33265.0,\
"errors":{"connect":0,"read":2,"write":0,"timeout":1,"status":7}}
"""

CREDS = Credentials(
    token="s.bench-token",
    role_id="role-1",
    secret_id="secret-1",
    key_count=1000,
    secret_value="v" * 200,
    plaintext_b64="aGVsbG8=",
)


def sample(rps: float, *, cpu: float | None = 100.0, status: int = 0) -> Sample:
    return Sample(
        requests=int(rps * 10),
        requests_per_second=rps,
        p50_ms=rps / 1000,
        p99_ms=rps / 100,
        cpu_us_per_request=cpu,
        peak_rss_mib=50.0,
        status_errors=status,
        socket_errors=0,
    )


def server(kind: str, *, audit: bool) -> ServerInfo:
    title = {"openbao": "OpenBao", "strongroom": "Strongroom"}[kind]
    detail = "/tmp/audit.log" if audit else "PUT sys/audit/file answered HTTP 404: unsupported path"
    return ServerInfo(kind, title, "2.7.2", "raft", audit, detail)


def make_report(outcomes: dict[tuple[str, str], Outcome]) -> Report:
    return Report(
        settings=Settings(10, 32, 3, 1, 0, 1),
        servers=(server("openbao", audit=True), server("strongroom", audit=False)),
        workloads=(("kv-read", "kv-v2 read"), ("transit-encrypt", "transit encrypt")),
        outcomes=outcomes,
        started_at="2026-11-27 05:00 UTC",
    )


# wrk output


def test_parse_wrk_output_reads_the_result_line() -> None:
    result = parse_wrk_output(WRK_OUTPUT)
    assert result.requests == 4838
    assert result.requests_per_second == pytest.approx(2417.96, abs=0.01)
    assert (result.p50_us, result.p99_us) == (13178.0, 33265.0)
    assert (result.status_errors, result.socket_errors, result.errors) == (7, 3, 10)


def test_parse_wrk_output_takes_the_last_result_line() -> None:
    earlier = WRK_OUTPUT.replace('"requests":4838', '"requests":1')
    assert parse_wrk_output(earlier + WRK_OUTPUT).requests == 4838


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Running 2s test\nRequests/sec: 1.0\n", "no result line"),
        ("BENCH_RESULT {not json\n", "not JSON"),
        ("BENCH_RESULT [1, 2]\n", "not a JSON object"),
        ('BENCH_RESULT {"requests": 1}\n', "'errors'"),
        (WRK_OUTPUT.replace('"requests":4838', '"requests":"many"'), "'requests'"),
        (WRK_OUTPUT.replace('"status":7', '"status":true'), "'status'"),
    ],
)
def test_parse_wrk_output_rejects_bad_output(text: str, message: str) -> None:
    with pytest.raises(WrkError, match=message):
        parse_wrk_output(text)


def test_zero_duration_gives_zero_rate() -> None:
    assert WrkResult(5, 0.0, 1.0, 2.0, 0, 0, 0, 0, 0).requests_per_second == 0.0


def test_wrk_command_pins_one_thread_to_the_wrk_core() -> None:
    argv = wrk_command("http://x", Path("s.lua"), duration_s=5, connections=32, cpu=1)
    assert argv[:4] == ["taskset", "-c", "1", "wrk"]
    assert {"-t1", "-c32", "-d5s", "--latency"} <= set(argv)


# /proc parsing


def test_parse_cpu_ticks_survives_spaces_and_parens_in_the_command_name() -> None:
    fields = ["S", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "120", "34", "0", "0"]
    stat = "4242 (python (a) b) " + " ".join(fields) + " 20 0 5\n"
    assert parse_cpu_ticks(stat) == 154


def test_parse_vm_hwm_kib() -> None:
    status = "Name:\tbao\nVmPeak:\t  999 kB\nVmHWM:\t  131072 kB\nVmRSS:\t 1000 kB\n"
    assert parse_vm_hwm_kib(status) == 131072
    with pytest.raises(ValueError, match="VmHWM"):
        parse_vm_hwm_kib("Name:\tbao\n")


def test_parse_core_busy_ticks_counts_user_nice_system_steal() -> None:
    stat = "cpu  9 9 9 9 9 9 9 9 9 9\ncpu0 100 1 20 5000 7 3 40 2 0 0\ncpu1 1 1 1 1 1 1 1 1 1 1\n"
    assert parse_core_busy_ticks(stat, 0) == 123
    assert parse_core_busy_ticks(stat, 1) == 4
    with pytest.raises(ValueError, match="cpu2"):
        parse_core_busy_ticks(stat, 2)


# medians and ratios


def test_summarize_takes_medians_and_sums_errors() -> None:
    summary = summarize([sample(300, status=1), sample(100), sample(200, cpu=None)])
    assert summary.rounds == 3
    assert summary.requests_per_second == 200
    assert summary.p99_ms == 2.0
    assert summary.cpu_us_per_request == 100.0
    assert (summary.errors, summary.status_errors) == (1, 1)


def test_summarize_even_count_and_empty() -> None:
    assert summarize([sample(100), sample(200)]).requests_per_second == 150
    with pytest.raises(ValueError, match="no samples"):
        summarize([])


def test_median_of_ignores_unknown_values() -> None:
    assert median_of([None, 3.0, 1.0]) == 2.0
    assert median_of([None, None]) is None


def test_ratio() -> None:
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(None, 2.0) is None
    assert ratio(1.0, None) is None
    assert ratio(1.0, 0.0) is None


def test_sample_from_run_computes_cpu_per_request() -> None:
    result = parse_wrk_output(WRK_OUTPUT)
    made = Sample.from_run(result, cpu_seconds=0.4838, peak_rss_mib=12.5)
    assert made.cpu_us_per_request == pytest.approx(100.0)
    assert (made.p50_ms, made.errors) == (13.178, 10)
    assert Sample.from_run(result, None, None).cpu_us_per_request is None


def test_ratios_need_both_servers_to_have_run() -> None:
    report = make_report(
        {
            ("kv-read", "openbao"): Outcome(samples=(sample(1000),)),
            ("kv-read", "strongroom"): Outcome(samples=(sample(2000, cpu=50.0),)),
            ("transit-encrypt", "openbao"): Outcome(samples=(sample(1000),)),
            ("transit-encrypt", "strongroom"): Outcome(unavailable="not implemented"),
        }
    )
    quotients = ratios(report, "kv-read")
    assert quotients is not None
    assert quotients["requests_per_second"] == 2.0
    assert quotients["cpu_us_per_request"] == 0.5
    assert "errors" not in quotients
    assert ratios(report, "transit-encrypt") is None


# rendering


def test_table_has_na_row_and_ratio_row() -> None:
    report = make_report(
        {
            ("kv-read", "openbao"): Outcome(samples=(sample(1400),)),
            ("kv-read", "strongroom"): Outcome(samples=(sample(2800),)),
            ("transit-encrypt", "openbao"): Outcome(samples=(sample(1500),)),
            ("transit-encrypt", "strongroom"): Outcome(
                unavailable="not implemented", detail="POST sys/mounts/transit answered 400"
            ),
        }
    )
    rows = table_rows(report)
    assert rows[0].startswith("| workload | server | req/s | p50 (ms) | p99 (ms) | CPU/req")
    assert rows[2] == "| kv-v2 read | OpenBao | 1,400 | 1.40 | 14.00 | 100 | 0 | 50.0 |"
    assert rows[3].startswith("|  | Strongroom | 2,800 |")
    assert rows[4] == "|  | Strongroom / OpenBao | 2.00x | 2.00x | 2.00x | 1.00x | - | 1.00x |"
    assert rows[6] == "|  | Strongroom | n/a (not implemented) |  |  |  |  |  |"
    assert len(rows) == 7  # no ratio row for the n/a workload


def test_markdown_flags_errors_and_unequal_audit() -> None:
    report = make_report(
        {
            ("kv-read", "openbao"): Outcome(samples=(sample(1400),)),
            ("kv-read", "strongroom"): Outcome(samples=(sample(2800, status=4),)),
            ("transit-encrypt", "openbao"): Outcome(samples=(sample(1500),)),
            ("transit-encrypt", "strongroom"): Outcome(unavailable="not implemented", detail="d"),
        }
    )
    text = render_markdown(report)
    assert "**ERRORS (must be 0" in text
    assert "Strongroom kv-read: 4 non-2xx/3xx responses" in text
    assert "| **4** |" in text
    assert "Strongroom ran WITHOUT an audit device" in text
    assert "NOT equal" in text
    assert "- Strongroom transit-encrypt: n/a (not implemented): d" in text
    assert text.startswith("### Strongroom vs OpenBao (2026-11-27 05:00 UTC)")
    assert "Ratios are Strongroom / OpenBao" in text
    assert error_lines(report) == [
        "Strongroom kv-read: 4 non-2xx/3xx responses and 0 socket errors over 1 round(s)"
    ]


def test_no_audit_note_when_both_audit_or_only_one_server() -> None:
    both = make_report({})
    both = Report(
        both.settings,
        (server("openbao", audit=True), server("strongroom", audit=True)),
        both.workloads,
        {},
        both.started_at,
    )
    assert not any("audit" in n for n in notes(both))
    alone = Report(both.settings, (server("strongroom", audit=False),), both.workloads, {}, "")
    assert not any("WITHOUT" in n for n in notes(alone))
    assert ratios(alone, "kv-read") is None
    text = render_markdown(alone)
    assert text.startswith("### Strongroom ()")
    assert "Ratios are" not in text


def test_busy_machine_is_noted() -> None:
    quiet, busy = sample(1000), replace(sample(1000), other_load_pct=35.0)
    report = make_report({("kv-read", "openbao"): Outcome(samples=(quiet, busy))})
    assert any("up to 35% of the server's core" in n for n in notes(report))
    calm = make_report({("kv-read", "openbao"): Outcome(samples=(quiet,))})
    assert not any("not quiet" in n for n in notes(calm))


def test_format_figure() -> None:
    assert format_figure("requests_per_second", 12345.6) == "12,346"
    assert format_figure("requests_per_second", 42.25) == "42.2"
    assert format_figure("p99_ms", 1.234) == "1.23"
    assert format_figure("errors", 0) == "0"
    assert format_figure("errors", 3) == "**3**"
    assert format_figure("cpu_us_per_request", None) == "-"


def test_report_json_is_serialisable_and_complete() -> None:
    report = make_report(
        {
            ("kv-read", "openbao"): Outcome(samples=(sample(1000), sample(3000))),
            ("kv-read", "strongroom"): Outcome(samples=(sample(2000),)),
        }
    )
    data = json.loads(json.dumps(report_json(report)))
    results = {(r["workload"], r["server"]): r for r in data["results"]}
    assert results[("kv-read", "openbao")]["median"]["requests_per_second"] == 2000
    assert len(results[("kv-read", "openbao")]["rounds"]) == 2
    assert results[("transit-encrypt", "strongroom")]["status"] == "n/a"
    assert data["ratios"]["kv-read"]["requests_per_second"] == 1.0
    assert data["settings"]["connections"] == 32


# workloads and Lua


def test_select_workloads() -> None:
    assert select_workloads(None) == WORKLOADS
    chosen = select_workloads("sys-health, kv-read")
    assert [w.name for w in chosen] == ["kv-read", "sys-health"]
    with pytest.raises(ValueError, match="unknown workload"):
        select_workloads("kv-read,bogus")
    with pytest.raises(ValueError, match="none given"):
        select_workloads(" , ")


def test_lua_string_escapes() -> None:
    assert lua_string('a"b\\c') == '"a\\"b\\\\c"'
    assert lua_string("x\ny") == '"x\\010y"'
    assert lua_string("é") == '"\\195\\169"'


def test_random_key_script_defines_request_and_done() -> None:
    kv_write = next(w for w in WORKLOADS if w.name == "kv-write")
    script = render_script(kv_write, CREDS)
    assert 'wrk.method = "POST"' in script
    assert 'wrk.headers["X-Vault-Token"] = "s.bench-token"' in script
    assert "math.random(0, key_count - 1)" in script
    assert "local key_count = 1000" in script
    assert '\\"value\\": \\"' + "v" * 200 in script
    assert "BENCH_RESULT" in script and "latency:percentile(99)" in script


def test_fixed_path_script_has_no_request_function_and_no_token_when_unauthenticated() -> None:
    login = next(w for w in WORKLOADS if w.name == "approle-login")
    script = render_script(login, CREDS)
    assert 'wrk.path = "/v1/auth/approle/login"' in script
    assert "request = function" not in script
    assert "X-Vault-Token" not in script
    assert '\\"role_id\\": \\"role-1\\"' in script


# setup refusals


def test_refusal_classification() -> None:
    assert Refusal("PUT sys/audit/file", 404, "unsupported path").not_implemented
    assert Refusal("PUT sys/audit/file", 405, "").label == "not implemented"
    catalog = Refusal("POST sys/mounts/transit", 400, "plugin not found in the catalog: transit")
    assert catalog.not_implemented
    broken = Refusal("POST auth/token/create", 500, "internal error")
    assert broken.label == "setup failed"
    assert Refusal("probe GET /v1/x", 403, "permission denied").label == "request failed"
    assert Refusal("probe GET /v1/x", 405, "").label == "not implemented"
    assert broken.describe() == "POST auth/token/create answered HTTP 500: internal error"


def test_refusal_from_reads_vault_errors_or_text() -> None:
    vault = httpx.Response(400, json={"errors": ["a", "b"]})
    assert refusal_from("POST", "x", vault) == Refusal("POST x", 400, "a; b")
    plain = httpx.Response(405, text="Method Not Allowed")
    assert refusal_from("PUT", "y", plain).message == "Method Not Allowed"


def test_openbao_config_sets_both_ports_and_audit_switch() -> None:
    text = openbao_config(Path("/tmp/raft"), 8200, 9201)
    assert 'cluster_address = "127.0.0.1:9201"' in text
    assert 'cluster_addr                    = "https://127.0.0.1:9201"' in text
    assert "unsafe_allow_api_audit_creation = true" in text
    assert 'storage "raft"' in text and 'node_id = "bench"' in text
