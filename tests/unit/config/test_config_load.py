"""Loading files and directories, merging them and validating the result (load_config)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from strongroom.config import ServerConfig, StorageConfig, TelemetryConfig, load_config
from strongroom.errors import ConfigError

STORAGE = 'storage "inmem" {}\n'
LISTENER = 'listener "tcp" {\n  address = "127.0.0.1:8200"\n  tls_disable = true\n}\n'


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_single_hcl_file(tmp_path: Path) -> None:
    path = write(tmp_path / "server.hcl", STORAGE + LISTENER + "ui = true\n")

    config = load_config([path])

    assert config.storage is not None and config.storage.type == "inmem"
    assert config.listeners[0].source == f"{path}:2"
    assert config.ui is True
    assert config.sources == (path,)


def test_directory_loads_hcl_and_json_sorted_and_skips_the_rest(tmp_path: Path) -> None:
    write(tmp_path / "20-listener.hcl", LISTENER + 'log_level = "debug"\n')
    write(tmp_path / "10-storage.json", json.dumps({"storage": {"file": {"path": "/d"}}}))
    write(tmp_path / "30-override.hcl", 'log_level = "error"\n')
    write(tmp_path / "notes.txt", "this is not config")
    write(tmp_path / "README.md", "# nor this")
    write(tmp_path / ".#20-listener.hcl", "an editor lock file")
    (tmp_path / "sub.hcl").mkdir()
    write(tmp_path / "sub.hcl" / "ignored.hcl", "not = parsed = at all")

    config = load_config([str(tmp_path)])

    assert config.sources == tuple(
        str(tmp_path / name) for name in ("10-storage.json", "20-listener.hcl", "30-override.hcl")
    )
    assert config.storage is not None and dict(config.storage.options) == {"path": "/d"}
    assert config.log_level == "error"


def test_later_files_override_only_what_they_set(tmp_path: Path) -> None:
    first = write(
        tmp_path / "a.hcl",
        STORAGE + LISTENER + 'ui = true\napi_addr = "https://a:8200"\nlog_level = "debug"\n',
    )
    second = write(tmp_path / "b.hcl", 'api_addr = "https://b:8200"\nui = false\n')

    config = load_config([first, second])

    assert config.api_addr == "https://b:8200"
    assert config.ui is False  # explicitly set later, even to the default
    assert config.log_level == "debug"  # not mentioned later, so kept


def test_stanzas_accumulate_and_storage_is_replaced(tmp_path: Path) -> None:
    first = write(
        tmp_path / "a.hcl",
        'storage "file" {\n  path = "/a"\n}\n'
        + LISTENER
        + 'seal "transit" {}\naudit "file" "a" {}\n',
    )
    second = write(
        tmp_path / "b.json",
        json.dumps(
            {
                "storage": {"inmem": {}},
                "listener": {"tcp": {"address": "0.0.0.0:9000", "tls_disable": True}},
                "seal": {"pkcs11": {}},
                "audit": {"file": {"b": {}}},
            }
        ),
    )

    config = load_config([first, second])

    assert config.storage is not None and config.storage.type == "inmem"
    assert [item.address for item in config.listeners] == ["127.0.0.1:8200", "0.0.0.0:9000"]
    assert [item.type for item in config.seals] == ["transit", "pkcs11"]
    assert [item.path for item in config.audit_devices] == ["a/", "b/"]


def test_telemetry_block_is_replaced_whole(tmp_path: Path) -> None:
    first = write(
        tmp_path / "a.hcl",
        STORAGE + LISTENER + 'telemetry {\n  disable_hostname = true\n  metrics_prefix = "x"\n}\n',
    )
    second = write(tmp_path / "b.hcl", 'telemetry {\n  prometheus_retention_time = "1h"\n}\n')

    config = load_config([first, second])

    assert config.telemetry == TelemetryConfig(prometheus_retention_time=3600)


def test_listener_request_duration_uses_the_merged_server_default(tmp_path: Path) -> None:
    first = write(tmp_path / "a.hcl", STORAGE + LISTENER)
    second = write(tmp_path / "b.hcl", 'default_max_request_duration = "10s"\n')

    config = load_config([first, second])

    assert config.listeners[0].max_request_duration == 10


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    as_json = write(
        tmp_path / "server.conf",
        "  " + json.dumps({"backend": {"inmem": {}}, "listener": {"tcp": {"tls_disable": 1}}}),
    )
    as_hcl = write(tmp_path / "server.cfg", STORAGE + LISTENER)

    assert load_config([as_json]).storage == StorageConfig("inmem", {}, f"{as_json}: backend.inmem")
    assert load_config([as_hcl]).storage == StorageConfig("inmem", {}, f"{as_hcl}:1")


def test_extension_decides_over_content(tmp_path: Path) -> None:
    path = write(tmp_path / "server.hcl", '{"ui": true}')

    with pytest.raises(ConfigError, match=r"invalid HCL"):
        load_config([path])


def test_storage_is_required_unless_dev(tmp_path: Path) -> None:
    path = write(tmp_path / "server.hcl", LISTENER)

    with pytest.raises(ConfigError, match=r"no storage configured"):
        load_config([path])
    assert load_config([path], dev=True).storage is None


def test_a_listener_is_required_unless_dev(tmp_path: Path) -> None:
    path = write(tmp_path / "server.hcl", STORAGE)

    with pytest.raises(ConfigError, match=rf"^{path}: no listener configured"):
        load_config([path])
    assert load_config([path], dev=True).listeners == ()


def test_dev_mode_without_any_file_gives_the_defaults() -> None:
    assert load_config([], dev=True) == ServerConfig()


def test_no_files_outside_dev_mode_is_an_error() -> None:
    with pytest.raises(ConfigError, match="no configuration file given"):
        load_config([])


def test_a_bare_string_is_refused() -> None:
    with pytest.raises(TypeError):
        load_config("server.hcl")


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.hcl"

    with pytest.raises(ConfigError, match=r"nope\.hcl: no such file or directory"):
        load_config([str(missing)])


def test_non_utf8_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "server.hcl"
    path.write_bytes(b"ui = \xff\xfe\n")

    with pytest.raises(ConfigError, match="not a UTF-8 text file"):
        load_config([str(path)])


def test_default_lease_ttl_above_max_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "server.hcl", STORAGE + LISTENER + 'max_lease_ttl = "1h"\n')

    with pytest.raises(ConfigError) as info:
        load_config([path])
    assert str(info.value) == (
        f"{path}: default_lease_ttl (768h0m0s) is greater than max_lease_ttl (1h0m0s)"
    )


def test_duplicate_audit_path_across_files_is_rejected(tmp_path: Path) -> None:
    first = write(tmp_path / "a.hcl", STORAGE + LISTENER + 'audit "file" "logs/" {}\n')
    second = write(tmp_path / "b.hcl", 'audit "syslog" "logs" {}\n')

    with pytest.raises(ConfigError) as info:
        load_config([first, second])
    assert str(info.value) == (
        f'{second}:1: audit path "logs/" is already used by the audit stanza at {first}:6'
    )


def test_errors_in_a_file_name_that_file(tmp_path: Path) -> None:
    good = write(tmp_path / "a.hcl", STORAGE + LISTENER)
    bad = write(tmp_path / "b.hcl", "\n\nui = maybe\n")

    with pytest.raises(ConfigError) as info:
        load_config([good, bad])
    assert str(info.value) == f'{bad}:3: invalid value for "ui": expected a boolean, got "maybe"'
