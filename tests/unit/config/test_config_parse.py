"""Parsing one config file, HCL or JSON, into ServerConfig (strongroom.config)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from strongroom.config import (
    AuditStanza,
    ListenerConfig,
    SealStanza,
    ServerConfig,
    StorageConfig,
    TelemetryConfig,
    parse_config_text,
)


def hcl(text: str) -> ServerConfig:
    return parse_config_text(text, filename="server.hcl", fmt="hcl")


def js(data: object) -> ServerConfig:
    return parse_config_text(json.dumps(data), filename="server.json", fmt="json")


def without_sources(config: ServerConfig) -> ServerConfig:
    """Drop file names and positions, which necessarily differ between HCL and JSON."""
    return replace(
        config,
        sources=(),
        storage=None if config.storage is None else replace(config.storage, source=""),
        ha_storage=None if config.ha_storage is None else replace(config.ha_storage, source=""),
        listeners=tuple(replace(item, source="") for item in config.listeners),
        seals=tuple(replace(item, source="") for item in config.seals),
        audit_devices=tuple(replace(item, source="") for item in config.audit_devices),
    )


FULL_HCL = """
storage "raft" {
  path    = "/var/lib/strongroom"
  node_id = "node-1"
  retry_join {
    leader_api_addr = "https://a:8200"
  }
}
ha_storage "inmem" {}

listener "tcp" {
  address       = "0.0.0.0:8200"
  tls_cert_file = "/etc/tls/cert.pem"
  tls_key_file  = "/etc/tls/key.pem"
  tls_min_version = "tls13"
  x_forwarded_for_authorized_addrs = ["10.0.0.0/8", "192.0.2.1"]
  x_forwarded_for_hop_skips = 1
  telemetry {
    unauthenticated_metrics_access = true
  }
}
listener "tcp" {
  address     = "127.0.0.1:8300"
  tls_disable = true
  max_request_size = 1024
  max_request_duration = "5s"
}

seal "transit" {
  address    = "https://vault:8200"
  key_name   = "autounseal"
  disabled   = "false"
}

audit "file" "file-audit" {
  description = "everything"
  local       = true
  options {
    file_path = "/var/log/audit.log"
    log_raw   = true
  }
}

telemetry {
  prometheus_retention_time = "24h"
  disable_hostname          = true
  prefix_filter             = ["+vault.token", "-vault.expire"]
}

api_addr          = "https://node-1:8200"
cluster_name      = "prod"
ui                = true
log_level         = "WARNING"
default_lease_ttl = "1h"
max_lease_ttl     = "768h"
disable_mlock     = true
"""

FULL_JSON = {
    "storage": {
        "raft": {
            "path": "/var/lib/strongroom",
            "node_id": "node-1",
            "retry_join": [{"leader_api_addr": "https://a:8200"}],
        }
    },
    "ha_storage": {"inmem": {}},
    "listener": [
        {
            "tcp": {
                "address": "0.0.0.0:8200",
                "tls_cert_file": "/etc/tls/cert.pem",
                "tls_key_file": "/etc/tls/key.pem",
                "tls_min_version": "tls13",
                "x_forwarded_for_authorized_addrs": "10.0.0.0/8, 192.0.2.1",
                "x_forwarded_for_hop_skips": "1",
                "telemetry": {"unauthenticated_metrics_access": "true"},
            }
        },
        {
            "tcp": {
                "address": "127.0.0.1:8300",
                "tls_disable": "1",
                "max_request_size": 1024,
                "max_request_duration": 5,
            }
        },
    ],
    "seal": {
        "transit": {
            "address": "https://vault:8200",
            "key_name": "autounseal",
            "disabled": False,
        }
    },
    "audit": [
        {
            "file": {
                "file-audit/": {
                    "description": "everything",
                    "local": True,
                    "options": {"file_path": "/var/log/audit.log", "log_raw": "true"},
                }
            }
        }
    ],
    "telemetry": {
        "prometheus_retention_time": 86400,
        "disable_hostname": True,
        "prefix_filter": ["+vault.token", "-vault.expire"],
    },
    "api_addr": "https://node-1:8200",
    "cluster_name": "prod",
    "ui": "true",
    "log_level": "warn",
    "default_lease_ttl": 3600,
    "max_lease_ttl": "768h",
    "disable_mlock": True,
}


def test_full_hcl_file_is_parsed_into_every_section() -> None:
    config = hcl(FULL_HCL)

    assert config.storage == StorageConfig(
        type="raft",
        options={
            "path": "/var/lib/strongroom",
            "node_id": "node-1",
            "retry_join": '[{"leader_api_addr":"https://a:8200"}]',
        },
        source="server.hcl:2",
    )
    assert config.ha_storage == StorageConfig(type="inmem", options={}, source="server.hcl:9")
    first, second = config.listeners
    assert first.address == "0.0.0.0:8200"
    assert first.tls_disable is False
    assert (first.tls_cert_file, first.tls_key_file) == ("/etc/tls/cert.pem", "/etc/tls/key.pem")
    assert first.tls_min_version == "tls13"
    assert first.x_forwarded_for_authorized_addrs == ("10.0.0.0/8", "192.0.2.1")
    assert first.x_forwarded_for_hop_skips == 1
    assert first.unauthenticated_metrics_access is True
    assert first.source == "server.hcl:11"
    assert second.tls_disable is True
    assert second.max_request_size == 1024
    assert second.max_request_duration == 5
    assert config.seals == (
        SealStanza(
            type="transit",
            options={"address": "https://vault:8200", "key_name": "autounseal"},
            disabled=False,
            source="server.hcl:29",
        ),
    )
    assert config.audit_devices == (
        AuditStanza(
            type="file",
            path="file-audit/",
            description="everything",
            local=True,
            options={"file_path": "/var/log/audit.log", "log_raw": "true"},
            source="server.hcl:35",
        ),
    )
    assert config.telemetry == replace(
        TelemetryConfig(),
        prometheus_retention_time=86400,
        disable_hostname=True,
        prefix_filter=("+vault.token", "-vault.expire"),
    )
    assert config.api_addr == "https://node-1:8200"
    assert config.cluster_name == "prod"
    assert config.ui is True
    assert config.log_level == "warn"
    assert (config.default_lease_ttl, config.max_lease_ttl) == (3600, 768 * 3600)
    assert config.disable_mlock is True
    assert config.sources == ("server.hcl",)


def test_json_and_hcl_with_the_same_content_give_the_same_config() -> None:
    from_hcl = hcl(FULL_HCL)
    from_json = js(FULL_JSON)

    assert without_sources(from_json) == without_sources(from_hcl)
    assert from_json.listeners[0].source == "server.json: listener[0].tcp"
    assert from_json.sources == ("server.json",)


@pytest.mark.parametrize(
    "listener",
    [
        {"tcp": {"address": "0.0.0.0:1", "tls_disable": True}},
        [{"tcp": {"address": "0.0.0.0:1", "tls_disable": True}}],
        {"type": "tcp", "address": "0.0.0.0:1", "tls_disable": True},
        [{"type": "tcp", "address": "0.0.0.0:1", "tls_disable": True}],
    ],
    ids=["object", "list", "unlabelled-object", "unlabelled-list"],
)
def test_json_listener_as_object_or_list(listener: object) -> None:
    config = js({"listener": listener})

    assert [(item.type, item.address, item.tls_disable) for item in config.listeners] == [
        ("tcp", "0.0.0.0:1", True)
    ]


def test_json_listener_label_with_a_list_of_bodies_gives_several_listeners() -> None:
    config = js(
        {
            "listener": {
                "tcp": [{"address": "a:1", "tls_disable": 1}, {"address": "b:2", "tls_disable": 1}]
            }
        }
    )

    assert [item.address for item in config.listeners] == ["a:1", "b:2"]


def test_several_hcl_listeners_keep_file_order() -> None:
    config = hcl(
        'listener "tcp" {\n  address = "a:1"\n  tls_disable = true\n}\n'
        'listener "tcp" {\n  address = "b:2"\n  tls_disable = true\n}\n'
        'listener "tcp" {\n  address = "c:3"\n  tls_disable = true\n}\n'
    )

    assert [(item.address, item.source) for item in config.listeners] == [
        ("a:1", "server.hcl:1"),
        ("b:2", "server.hcl:5"),
        ("c:3", "server.hcl:9"),
    ]


def test_legacy_backend_key_is_storage() -> None:
    assert hcl('backend "inmem" {}').storage == StorageConfig("inmem", {}, "server.hcl:1")
    assert js({"backend": {"inmem": {}}}).storage == StorageConfig(
        "inmem", {}, "server.json: backend.inmem"
    )
    assert hcl('ha_backend "inmem" {}').ha_storage == StorageConfig("inmem", {}, "server.hcl:1")


def test_storage_options_are_strings_as_go_would_print_them() -> None:
    config = js(
        {
            "storage": {
                "x": {
                    "s": "v",
                    "t": True,
                    "f": False,
                    "n": 5,
                    "r": 2.0,
                    "h": 1.5,
                    "m": {"b": 1, "a": [1]},
                }
            }
        }
    )

    assert config.storage is not None
    assert dict(config.storage.options) == {
        "s": "v",
        "t": "true",
        "f": "false",
        "n": "5",
        "r": "2",
        "h": "1.5",
        "m": '{"a":[1],"b":1}',
    }


def test_an_empty_file_gives_every_default() -> None:
    config = hcl("# nothing here\n")

    assert config == ServerConfig(sources=("server.hcl",))
    assert config.storage is None and config.ha_storage is None
    assert config.listeners == () and config.seals == () and config.audit_devices == ()
    assert config.ui is False
    assert config.log_level == "info"
    assert config.log_format == "standard"
    assert config.log_file is None
    assert config.default_lease_ttl == 2764800
    assert config.max_lease_ttl == 2764800
    assert config.default_max_request_duration == 90
    assert config.cache_size == 131072
    assert config.disable_cache is False and config.disable_mlock is False
    assert config.unsafe_allow_api_audit_creation is False
    assert config.raw_storage_endpoint is False and config.introspection_endpoint is False
    assert config.api_addr is None and config.cluster_addr is None and config.cluster_name is None
    assert config.telemetry == TelemetryConfig(
        prometheus_retention_time=0,
        disable_hostname=False,
        enable_hostname_label=False,
        metrics_prefix="vault",
        usage_gauge_period=600,
        maximum_gauge_cardinality=500,
        lease_metrics_epsilon=3600,
        num_lease_metrics_buckets=168,
        add_lease_metrics_namespace_labels=False,
        filter_default=True,
        prefix_filter=(),
    )


def test_listener_defaults() -> None:
    (listener,) = hcl('listener "tcp" {\n  tls_cert_file = "c"\n  tls_key_file = "k"\n}').listeners

    assert listener == ListenerConfig(
        type="tcp",
        address="127.0.0.1:8200",
        cluster_address=None,
        tls_disable=False,
        tls_cert_file="c",
        tls_key_file="k",
        tls_client_ca_file=None,
        tls_min_version="tls12",
        tls_max_version=None,
        tls_cipher_suites=None,
        tls_require_and_verify_client_cert=False,
        tls_disable_client_certs=False,
        max_request_size=33554432,
        max_request_duration=90,
        disable_unauthed_rekey_endpoints=True,
        disable_unauthed_generate_root_endpoints=True,
        unauthenticated_metrics_access=False,
        x_forwarded_for_authorized_addrs=(),
        x_forwarded_for_hop_skips=0,
        x_forwarded_for_reject_not_authorized=False,
        x_forwarded_for_reject_not_present=False,
        source="server.hcl:1",
    )


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("3600", 3600),
        ('"3600"', 3600),
        ('"768h"', 2764800),
        ('"1h30m"', 5400),
        ('"30s"', 30),
        ('"2d"', 172800),
    ],
)
def test_durations_as_numbers_or_strings(value: str, seconds: int) -> None:
    config = hcl(f"default_lease_ttl = {value}\nmax_lease_ttl = {value}\n")

    assert (config.default_lease_ttl, config.max_lease_ttl) == (seconds, seconds)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("false", False),
        ('"true"', True),
        ('"false"', False),
        ("1", True),
        ('"0"', False),
        ('"T"', True),
    ],
)
def test_booleans_in_every_form_vault_accepts(value: str, expected: bool) -> None:
    assert hcl(f"ui = {value}").ui is expected


def test_zero_ttls_and_durations_mean_the_default() -> None:
    config = hcl(
        'default_lease_ttl = 0\nmax_lease_ttl = "0s"\ndefault_max_request_duration = 0\n'
        'listener "tcp" {\n  tls_disable = true\n  max_request_size = 0\n}\n'
    )

    assert (config.default_lease_ttl, config.max_lease_ttl) == (2764800, 2764800)
    assert config.default_max_request_duration == 90
    assert config.listeners[0].max_request_size == 33554432


def test_negative_max_request_size_means_unlimited_and_is_kept() -> None:
    config = hcl('listener "tcp" {\n  tls_disable = true\n  max_request_size = -1\n}')

    assert config.listeners[0].max_request_size == -1


def test_unset_listener_request_duration_takes_the_server_default() -> None:
    config = hcl(
        'default_max_request_duration = "30s"\n'
        'listener "tcp" {\n  tls_disable = true\n}\n'
        'listener "tcp" {\n  tls_disable = true\n  max_request_duration = "2m"\n}\n'
    )

    assert [item.max_request_duration for item in config.listeners] == [30, 120]


def test_log_level_and_format_are_normalised() -> None:
    assert hcl('log_level = " Debug "').log_level == "debug"
    assert hcl('log_level = "warning"').log_level == "warn"
    assert hcl('log_format = ""').log_format == "standard"
    assert hcl('log_format = "JSON"').log_format == "json"


def test_hvac_test_suite_config_in_json() -> None:
    config = js(
        {
            "backend": {"inmem": {}},
            "listener": {
                "tcp": {
                    "address": "127.0.0.1:8200",
                    "tls_cert_file": "tests/config_files/server-cert.pem",
                    "tls_key_file": "tests/config_files/server-key.pem",
                    "tls_require_and_verify_client_cert": "false",
                }
            },
            "disable_mlock": True,
            "default_lease_ttl": "768h",
            "max_lease_ttl": "768h",
            "ui": True,
        }
    )

    assert config.storage == StorageConfig("inmem", {}, "server.json: backend.inmem")
    (listener,) = config.listeners
    assert listener.tls_cert_file == "tests/config_files/server-cert.pem"
    assert listener.tls_key_file == "tests/config_files/server-key.pem"
    assert listener.tls_require_and_verify_client_cert is False
    assert listener.tls_disable is False
    assert (config.default_lease_ttl, config.max_lease_ttl) == (2764800, 2764800)
    assert config.ui is True and config.disable_mlock is True


def test_hvac_doctest_config_in_hcl() -> None:
    config = hcl(
        'backend "inmem" {\n}\n\nlistener "tcp" {\n'
        '  tls_cert_file = "../tests/config_files/server-cert.pem"\n'
        '  tls_key_file  = "../tests/config_files/server-key.pem"\n}\n\n'
        "disable_mlock = true\n\n"
        'default_lease_ttl = "768h"\nmax_lease_ttl = "768h"\n'
    )

    assert config.storage is not None and config.storage.type == "inmem"
    assert config.listeners[0].tls_key_file == "../tests/config_files/server-key.pem"
    assert config.max_lease_ttl == 768 * 3600


def test_audit_stanzas_in_json_list_form_and_path_normalisation() -> None:
    config = js(
        {
            "audit": [
                {"file": {"to-stdout": {"options": {"file_path": "/dev/stdout"}}}},
                {"file": {"second/": {"description": "d"}}},
            ]
        }
    )

    assert [(a.type, a.path, a.description, dict(a.options)) for a in config.audit_devices] == [
        ("file", "to-stdout/", "", {"file_path": "/dev/stdout"}),
        ("file", "second/", "d", {}),
    ]
    assert config.audit_devices[0].source == "server.json: audit[0].file.to-stdout"


def test_several_seals_with_one_disabled_for_migration() -> None:
    config = hcl('seal "shamir" {\n  disabled = true\n}\nseal "transit" {\n  key_name = "k"\n}\n')

    assert [(s.type, s.disabled, dict(s.options)) for s in config.seals] == [
        ("shamir", True, {}),
        ("transit", False, {"key_name": "k"}),
    ]


def test_telemetry_usage_gauge_period_none_turns_it_off() -> None:
    config = hcl('telemetry {\n  usage_gauge_period = "none"\n  lease_metrics_epsilon = "2h"\n}')

    assert config.telemetry.usage_gauge_period == 0
    assert config.telemetry.lease_metrics_epsilon == 7200


def test_hcl_heredoc_and_comments() -> None:
    config = hcl(
        "// line comment\n/* block\ncomment */\n"
        'seal "transit" {\n  tls_ca_cert = <<EOT\nPEM DATA\nEOT\n}\n'
        "ui = true # trailing comment\n"
    )

    assert config.seals[0].options["tls_ca_cert"].strip() == "PEM DATA"
    assert config.ui is True


def test_hcl_sections_may_also_be_written_as_objects_or_unlabelled_blocks() -> None:
    config = hcl(
        "telemetry = { disable_hostname = true }\n"
        'listener {\n  type = "tcp"\n  address = "a:1"\n  tls_disable = true\n}\n'
    )

    assert config.telemetry.disable_hostname is True
    assert [(item.type, item.address) for item in config.listeners] == [("tcp", "a:1")]
