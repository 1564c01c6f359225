"""Config errors name the key and where it is (strongroom.config)."""

from __future__ import annotations

import json

import pytest

from strongroom.config import ServerConfig, parse_config_text
from strongroom.errors import ConfigError


def hcl(text: str) -> ServerConfig:
    return parse_config_text(text, filename="server.hcl", fmt="hcl")


def js(data: object) -> ServerConfig:
    return parse_config_text(json.dumps(data), filename="server.json", fmt="json")


def hcl_error(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        hcl(text)
    return str(info.value)


def json_error(data: object) -> str:
    with pytest.raises(ConfigError) as info:
        js(data)
    return str(info.value)


PLAIN = "  tls_disable = true\n"


# -- unknown keys -----------------------------------------------------------------------------


def test_unknown_listener_key_gives_line_block_and_suggestion() -> None:
    text = 'ui = true\n\nlistener "tcp" {\n' + PLAIN + '  adress = "0.0.0.0:8200"\n}\n'

    assert hcl_error(text) == (
        'server.hcl:5: unknown key "adress" in listener "tcp" (did you mean "address"?)'
    )


def test_unknown_listener_key_in_json_gives_key_path() -> None:
    message = json_error({"listener": {"tcp": {"tls_disable": True, "adress": "x"}}})

    assert message == 'server.json: listener.tcp: unknown key "adress" (did you mean "address"?)'


def test_unknown_top_level_key() -> None:
    assert hcl_error('storage "inmem" {}\nui = true\nlog_levl = "info"\n') == (
        'server.hcl:3: unknown key "log_levl" (did you mean "log_level"?)'
    )
    assert json_error({"disable_mlok": True}) == (
        'server.json: unknown key "disable_mlok" (did you mean "disable_mlock"?)'
    )


def test_unknown_key_without_a_close_match_has_no_suggestion() -> None:
    assert hcl_error("zzzzzz = 1") == 'server.hcl:1: unknown key "zzzzzz"'


def test_misspelled_block_name_is_an_unknown_key() -> None:
    message = hcl_error('listner "tcp" {\n' + PLAIN + "}\n")

    assert message == 'server.hcl:1: unknown key "listner" (did you mean "listener"?)'


def test_unknown_key_in_listener_telemetry_block() -> None:
    text = (
        'listener "tcp" {\n'
        + PLAIN
        + "  telemetry {\n    unauthenticated_metric_access = true\n  }\n}\n"
    )

    assert hcl_error(text) == (
        'server.hcl:4: unknown key "unauthenticated_metric_access" in listener "tcp" telemetry'
        ' (did you mean "unauthenticated_metrics_access"?)'
    )


def test_unknown_key_in_telemetry_and_audit() -> None:
    assert hcl_error("telemetry {\n  disable_hostnam = true\n}") == (
        'server.hcl:2: unknown key "disable_hostnam" in telemetry'
        ' (did you mean "disable_hostname"?)'
    )
    message = json_error({"audit": {"file": {"a/": {"descripton": "x"}}}})
    assert message == (
        'server.json: audit.file.a/: unknown key "descripton" (did you mean "description"?)'
    )


def test_unsupported_listener_option_is_rejected() -> None:
    message = hcl_error(
        'listener "tcp" {\n' + PLAIN + '  proxy_protocol_behavior = "use_always"\n}'
    )

    assert message.startswith(
        'server.hcl:3: unknown key "proxy_protocol_behavior" in listener "tcp"'
    )


# -- wrong types --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('tls_disable = "maybe"', 'a boolean, got "maybe"'),
        ('max_request_size = "big"', 'an integer, got "big"'),
        ("max_request_size = 1.5", "an integer, got 1.5"),
        (
            'max_request_duration = "soon"',
            'a duration such as "30s" or a number of seconds, got "soon"',
        ),
        ("address = 8200", "a string, got 8200"),
        ('x_forwarded_for_authorized_addrs = ["nope"]', 'IP addresses or CIDRs, got "nope"'),
        ("x_forwarded_for_hop_skips = -1", "a number that is not negative"),
        ('tls_max_version = "tls14"', '"tls12" or "tls13"'),
    ],
)
def test_wrong_listener_value_types(line: str, expected: str) -> None:
    key = line.split(" = ")[0]
    plain = "" if key == "tls_disable" else PLAIN

    message = hcl_error(f'listener "tcp" {{\n  {line}\n{plain}}}')

    assert message == (
        f'server.hcl:2: invalid value for "{key}" in listener "tcp": expected {expected}'
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ui = [1]", "a boolean, got a list"),
        ('ui = "yes"', 'a boolean, got "yes"'),
        ("ui = 2", "a boolean, got 2"),
        ('log_level = "verbose"', "one of trace, debug, info, warn, error, off"),
        ('log_format = "xml"', '"standard" or "json"'),
        ('default_lease_ttl = "-1h"', "a duration that is not negative"),
        ("cache_size = -5", "a number that is not negative"),
        ("api_addr = true", "a string, got true"),
        ("telemetry = 5", "a block, got 5"),
    ],
)
def test_wrong_top_level_value_types(line: str, expected: str) -> None:
    key = line.split(" = ")[0]

    assert hcl_error(line) == f'server.hcl:1: invalid value for "{key}": expected {expected}'


def test_wrong_type_in_json_names_the_key_path() -> None:
    message = json_error({"listener": [{"tcp": {"tls_disable": True, "max_request_size": "big"}}]})

    assert message == (
        'server.json: listener[0].tcp: invalid value for "max_request_size":'
        ' expected an integer, got "big"'
    )
    assert (
        json_error({"ui": [1]})
        == 'server.json: invalid value for "ui": expected a boolean, got a list'
    )


def test_telemetry_prefix_filter_rules_need_a_sign() -> None:
    message = hcl_error('telemetry {\n  prefix_filter = ["vault.token"]\n}')

    assert message == (
        'server.hcl:2: invalid value for "prefix_filter" in telemetry:'
        ' expected rules like "+vault.token" or "-vault", got "vault.token"'
    )


# -- listener TLS -------------------------------------------------------------------------------


def test_tls_listener_without_cert_and_key_is_rejected() -> None:
    message = hcl_error('ui = true\nlistener "tcp" {\n  address = "0.0.0.0:8200"\n}\n')

    assert message == (
        'server.hcl:2: listener "tcp": "tls_cert_file" and "tls_key_file" are required'
        " when TLS is enabled (set tls_disable = true to serve plain HTTP)"
    )


def test_tls_listener_missing_only_the_key_names_the_key() -> None:
    message = json_error({"listener": {"tcp": {"tls_cert_file": "c.pem"}}})

    assert message.startswith('server.json: listener.tcp: "tls_key_file" is required when TLS')


def test_tls_disabled_listener_needs_no_cert() -> None:
    assert hcl('listener "tcp" {\n  tls_disable = "true"\n}').listeners[0].tls_cert_file is None


@pytest.mark.parametrize("version", ["tls10", "tls11"])
def test_tls_below_1_2_is_rejected(version: str) -> None:
    text = (
        'listener "tcp" {\n  tls_cert_file = "c"\n  tls_key_file = "k"\n'
        f'  tls_min_version = "{version}"\n}}'
    )

    assert hcl_error(text) == (
        f'server.hcl:4: unsupported tls_min_version "{version}" in listener "tcp":'
        ' TLS 1.2 is the minimum (use "tls12" or "tls13")'
    )


def test_tls_max_below_min_is_rejected() -> None:
    text = (
        'listener "tcp" {\n  tls_cert_file = "c"\n  tls_key_file = "k"\n'
        '  tls_min_version = "tls13"\n  tls_max_version = "tls12"\n}'
    )

    assert hcl_error(text) == (
        'server.hcl:1: listener "tcp": tls_max_version "tls12"'
        ' is lower than tls_min_version "tls13"'
    )


def test_client_cert_required_and_disabled_are_mutually_exclusive() -> None:
    text = (
        'listener "tcp" {\n  tls_cert_file = "c"\n  tls_key_file = "k"\n'
        "  tls_require_and_verify_client_cert = true\n  tls_disable_client_certs = true\n}"
    )

    assert "mutually exclusive" in hcl_error(text)


# -- stanza shapes ------------------------------------------------------------------------------


def test_unsupported_listener_type() -> None:
    assert hcl_error('listener "unix" {\n  address = "/run/s.sock"\n}') == (
        'server.hcl:1: listener type "unix" is not supported (only "tcp")'
    )


@pytest.mark.parametrize(
    ("key", "sink"),
    [
        ("statsd_address", "statsd"),
        ("statsite_address", "statsite"),
        ("dogstatsd_addr", "dogstatsd"),
        ("dogstatsd_tags", "dogstatsd"),
        ("circonus_api_token", "circonus"),
        ("stackdriver_project_id", "stackdriver"),
    ],
)
def test_unsupported_telemetry_sinks_are_refused(key: str, sink: str) -> None:
    message = hcl_error(f'telemetry {{\n  disable_hostname = true\n  {key} = "x"\n}}')

    assert message.startswith(f'server.hcl:3: telemetry sink "{sink}" is not supported ("{key}")')


def test_storage_and_backend_together_are_rejected() -> None:
    assert hcl_error('storage "file" {\n  path = "/a"\n}\nbackend "inmem" {}\n') == (
        'server.hcl:4: both "storage" and its legacy name "backend" are set'
    )
    assert json_error({"storage": {"file": {}}, "backend": {"inmem": {}}}) == (
        'server.json: backend.inmem: both "storage" and its legacy name "backend" are set'
    )


def test_two_storage_stanzas_in_one_file_are_rejected() -> None:
    assert hcl_error('storage "file" {}\nstorage "inmem" {}\n') == (
        'server.hcl:2: only one "storage" stanza is allowed'
    )


def test_storage_without_a_type_label() -> None:
    assert json_error({"storage": {}}) == (
        'server.json: "storage" needs a type, as in storage "<type>" {...}'
    )
    assert hcl_error("storage {}") == (
        'server.hcl:1: "storage" needs a type, as in storage "<type>" {...}'
    )


def test_audit_stanza_needs_a_path_label() -> None:
    message = hcl_error('audit "file" {\n  file_path = "/a"\n}')

    assert message == 'server.hcl:1: audit "file" needs a path, as in audit "file" "<path>" {...}'


def test_duplicate_hcl_key_is_rejected() -> None:
    assert hcl_error("ui = true\nui = false\n") == 'server.hcl:2: duplicate key "ui"'


def test_duplicate_json_key_is_rejected() -> None:
    with pytest.raises(ConfigError, match=r'^server\.json: invalid JSON: duplicate key "ui"$'):
        parse_config_text('{"ui": true, "ui": false}', filename="server.json", fmt="json")


# -- syntax errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'listener "tcp" {\n  address = "x"\n',
            'server.hcl:3:1: invalid HCL: unexpected end of file (missing "}")',
        ),
        ('ui = "true\n', "server.hcl:1:7: invalid HCL: unterminated string"),
        ('listener "tcp" {\n  address =\n}\n', "server.hcl:2:12: invalid HCL: unexpected newline"),
        ("}\n", 'server.hcl:1:1: invalid HCL: unexpected "}", expected a name or a newline'),
    ],
)
def test_hcl_syntax_errors_are_short_and_located(text: str, expected: str) -> None:
    message = hcl_error(text)

    assert message == expected
    assert len(message) < 100


def test_json_syntax_error_is_located() -> None:
    with pytest.raises(ConfigError, match=r"^server\.json:2:2: invalid JSON: Extra data$"):
        parse_config_text('{"ui": true\n}}', filename="server.json", fmt="json")


def test_json_top_level_must_be_an_object() -> None:
    with pytest.raises(ConfigError, match="the top level must be an object"):
        parse_config_text("[1, 2]", filename="server.json", fmt="json")
