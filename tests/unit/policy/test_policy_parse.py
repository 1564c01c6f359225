"""parse_policy: HCL and JSON policies, and OpenBao 2.7.2's validation rules and messages."""

from __future__ import annotations

import pytest

from strongroom.errors import InvalidRequest
from strongroom.policy import (
    DEFAULT_POLICY_TEXT,
    ERR_PARSE_PREFIX,
    Capability,
    PathRule,
    parse_policy,
)

C = Capability


def rule(text: str) -> PathRule:
    """The one rule of a one-stanza policy."""
    (only,) = parse_policy("p", text).rules
    return only


def error(text: str) -> str:
    with pytest.raises(InvalidRequest) as caught:
        parse_policy("p", text)
    message = str(caught.value)
    assert message.startswith(ERR_PARSE_PREFIX + ": ")
    assert caught.value.status == 400
    return message


def test_hcl_stanzas_in_order_with_lines() -> None:
    policy = parse_policy(
        "dev",
        'name = "ignored"\n'
        'path "secret/*" {\n  capabilities = ["read", "list"]\n}\n'
        'path "secret/foo" { capabilities = ["deny"] }\n',
    )
    assert policy.name == "dev"
    assert [(r.pattern, r.capabilities, r.line) for r in policy.rules] == [
        ("secret/*", C.READ | C.LIST, 2),
        ("secret/foo", C.DENY, 5),
    ]
    assert policy.raw.startswith('name = "ignored"')


def test_same_pattern_twice_keeps_both_stanzas_for_the_acl_to_merge() -> None:
    policy = parse_policy(
        "p", 'path "a" { capabilities = ["read"] }\npath "a" { capabilities = ["list"] }'
    )
    assert [r.capabilities for r in policy.rules] == [C.READ, C.LIST]


def test_json_document_and_its_list_form() -> None:
    text = '{"name": "x", "path": {"secret/*": {"capabilities": ["read"]}}}'
    assert rule(text) == PathRule("secret/*", C.READ)
    listed = '{"path": [{"a": {"policy": "read"}}, {"b": {"capabilities": ["update"]}}]}'
    assert [r.pattern for r in parse_policy("p", listed).rules] == ["a", "b"]


def test_hcl_path_attribute_takes_the_json_shape() -> None:
    assert rule('path = { "a" = { capabilities = ["read"] } }') == PathRule("a", C.READ)


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ('{"path": {"a": {"capabilities": ["read"]}}, "bogus": 1}', 'invalid key "bogus"'),
        ('{"path": {"a": {"capabilities": ["read"], "x": 1}}}', 'path "a": invalid key "x"'),
        ('{"path": {"a": {"capabilities": "read"}}}', "capabilities must be a list"),
        ('{"path": {"a": [{"capabilities": ["read"]}]}}', "a path rule must be an object"),
        ('{"path": "a"}', "path must be an object"),
    ],
)
def test_json_errors(text: str, detail: str) -> None:
    assert detail in error(text)


def test_brace_that_is_not_json_is_read_as_hcl() -> None:
    assert "line 1" in error('{"path": {"a": {"capabilities": ["read"]}}')
    assert "line 1" in error('{"path": NaN}')
    assert "line 1" in error('{"path": {"a": {"capabilities": ["read"]}}}'.replace("{", "[", 1))


def test_unknown_keys_are_refused_with_their_line() -> None:
    message = error('path "a" {\n  capabilities = ["read"]\n  foo = 1\n}')
    assert message == 'failed to parse policy: line 3: path "a": invalid key "foo"'
    assert error('bogus = 1\npath "a" {}') == 'failed to parse policy: line 1: invalid key "bogus"'
    assert 'invalid key "listener"' in error('listener "tcp" {}')


def test_syntax_errors_say_where() -> None:
    message = error('path "a" {\n  capabilities = ["read"\n}')
    assert message.startswith("failed to parse policy: line 3, column 1: unexpected")
    assert "unexpected end of input" in error('path "a" {')
    assert error('path "a" {} ^').endswith('line 1, column 13: unexpected "^"')
    assert error("\\").endswith('line 1, column 1: unexpected character "\\\\"')
    assert error("x = \n\n").endswith("line 1, column 5: unexpected newline")


@pytest.mark.parametrize("text", ['path { policy = "read" }', 'path "a" "b" { policy = "read" }'])
def test_a_path_block_takes_one_label(text: str) -> None:
    assert "exactly one label" in error(text)


def test_only_literal_values() -> None:
    assert "only literal values" in error('path "a" { capabilities = [var.x] }')
    assert "only literal values" in error('path "a" { policy = "${x}" }')
    assert "only literal values" in error('path "a" { min_wrapping_ttl = 1 + 2 }')
    assert "only literal values" in error('path "a" { min_wrapping_ttl = -x }')
    assert "only literal values" in error('path "a" { policy = !true }')
    assert rule('path "a" { min_wrapping_ttl = -5 }').min_wrapping_ttl == -5


def test_nested_blocks_take_no_labels_and_hold_only_attributes() -> None:
    assert 'path "a": invalid key "allowed_parameters"' in error(
        'path "a" {\n allowed_parameters "x" { k = [] }\n}'
    )
    assert 'invalid key "inner"' in error('path "a" {\n allowed_parameters {\n inner {}\n }\n}')


def test_comment_only_policy_has_no_rules() -> None:
    assert parse_policy("p", "# nothing yet\n").rules == ()


def test_capabilities_stop_at_deny() -> None:
    # OpenBao reads left to right and stops at deny: what follows is never validated.
    assert rule('path "a" { capabilities = ["deny", "bogus"] }').capabilities == C.DENY
    assert rule('path "a" { capabilities = ["read", "deny"] }').capabilities == C.DENY
    message = error('path "a" { capabilities = ["bogus", "deny"] }')
    assert message == 'failed to parse policy: line 1: path "a": invalid capability "bogus"'


@pytest.mark.parametrize("name", ["Read", " read", "subscribe", "root", "1"])
def test_unknown_capability_names(name: str) -> None:
    assert f'invalid capability "{name}"' in error(f'path "a" {{ capabilities = ["{name}"] }}')


def test_every_capability_name_and_the_empty_list() -> None:
    names = '["create", "read", "update", "patch", "delete", "list", "sudo", "scan"]'
    everything = rule(f'path "a" {{ capabilities = {names} }}').capabilities
    assert (
        everything == C.CREATE | C.READ | C.UPDATE | C.PATCH | C.DELETE | C.LIST | C.SUDO | C.SCAN
    )
    assert rule('path "a" { capabilities = [] }').capabilities == C.NONE
    assert rule('path "a" {}').capability_names == ["deny"]


def test_repeated_capabilities_append_as_in_hcl1() -> None:
    text = 'path "a" {\n capabilities = ["read"]\n capabilities = ["list"]\n}'
    assert rule(text).capabilities == C.READ | C.LIST


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("read", C.READ | C.LIST),
        ("write", C.CREATE | C.READ | C.UPDATE | C.DELETE | C.LIST),  # no patch
        ("sudo", C.CREATE | C.READ | C.UPDATE | C.DELETE | C.LIST | C.SUDO),
        ("deny", C.DENY),
        ("", C.NONE),
    ],
)
def test_legacy_policy_shorthand(policy: str, expected: Capability) -> None:
    assert rule(f'path "a" {{ policy = "{policy}" }}').capabilities == expected


def test_legacy_policy_combines_with_capabilities() -> None:
    assert rule('path "a" {\n policy = "read"\n capabilities = ["update"] }').capabilities == (
        C.READ | C.LIST | C.UPDATE
    )
    # policy = "deny" replaces the list outright, so even a bad name in it is never seen...
    assert rule('path "a" {\n capabilities = ["bogus"]\n policy = "deny" }').capabilities == C.DENY
    # ...while the shorthand itself is validated first.
    text = 'path "a" {\n capabilities = ["read", "deny", "bogus"]\n policy = "bogus" }'
    assert 'invalid policy "bogus"' in error(text)
    assert "policy must be a string" in error('path "a" { policy = ["read"] }')


def test_pattern_loses_one_leading_slash_and_keeps_spaces() -> None:
    assert rule('path "/a" {}').pattern == "a"
    assert rule('path "//a" {}').pattern == "/a"
    assert rule('path " a " {}').pattern == " a "


@pytest.mark.parametrize("pattern", ["a/+*", "+*", "a+*", "+*/x"])
def test_plus_star_is_forbidden(pattern: str) -> None:
    assert "invalid use of wildcards ('+*' is forbidden)" in error(f'path "{pattern}" {{}}')


def test_templated_patterns_must_balance() -> None:
    assert rule('path "a/{{identity.entity.id}}/*" {}').pattern == "a/{{identity.entity.id}}/*"
    assert "unbalanced templating characters" in error('path "a/{{identity.entity.id}" {}')
    assert "unbalanced templating characters" in error('path "a/}}x{{" {}')
    assert "unbalanced templating characters" in error('path "a/{{x{{y}}}}" {}')


def test_parameter_maps() -> None:
    parsed = rule(
        'path "a" {\n'
        '  allowed_parameters = { "Foo" = ["x", 5, true], "*" = [] }\n'
        '  denied_parameters = { "bar" = [] }\n'
        '  required_parameters = ["Req", 1, true]\n'
        "}"
    )
    assert dict(parsed.allowed_parameters) == {"foo": ("x", 5, True), "*": ()}
    assert dict(parsed.denied_parameters) == {"bar": ()}
    assert parsed.required_parameters == ("Req", "1", "true")
    assert rule('path "a" { required_parameters = [null] }').required_parameters == ("",)


def test_parameter_block_form_and_repeats_append() -> None:
    parsed = rule(
        'path "a" {\n  allowed_parameters { k = ["v"] }\n'
        '  allowed_parameters = { k = ["w"], j = [] }\n  required_parameters = ["a"]\n'
        '  required_parameters = ["b"]\n}'
    )
    assert dict(parsed.allowed_parameters) == {"k": ("v", "w"), "j": ()}
    assert parsed.required_parameters == ("a", "b")


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ('allowed_parameters = { k = "v" }', 'the values of "k" must be a list'),
        ("allowed_parameters = []", "allowed_parameters must be an object"),
        ('denied_parameters = { k = "v" }', 'the values of "k" must be a list'),
        ('required_parameters = "a"', "required_parameters must be a list"),
        ("required_parameters = [[1]]", "expected a string"),
    ],
)
def test_parameter_errors(body: str, detail: str) -> None:
    assert detail in error(f'path "a" {{\n {body}\n}}')


def test_wrapping_ttls() -> None:
    parsed = rule('path "a" { min_wrapping_ttl = "1s"\n max_wrapping_ttl = "90s" }')
    assert (parsed.min_wrapping_ttl, parsed.max_wrapping_ttl) == (1, 90)
    assert rule('path "a" { min_wrapping_ttl = 5\n max_wrapping_ttl = 5 }').max_wrapping_ttl == 5
    assert rule('path "a" { min_wrapping_ttl = 1.5 }').min_wrapping_ttl == 1
    assert rule('path "a" { max_wrapping_ttl = "1h" }').min_wrapping_ttl == 0


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ('min_wrapping_ttl = "1h"\n max_wrapping_ttl = "1s"', "max_wrapping_ttl cannot be less"),
        ('min_wrapping_ttl = "bad"', "error parsing min_wrapping_ttl"),
        ("max_wrapping_ttl = true", "error parsing max_wrapping_ttl"),
    ],
)
def test_wrapping_ttl_errors(body: str, detail: str) -> None:
    assert detail in error(f'path "a" {{\n {body}\n}}')


@pytest.mark.parametrize(
    ("value", "expected"),
    [('"2030-01-01T00:00:00Z"', 1893456000), ("1700000000", 1700000000), ('"17"', 17)],
)
def test_expiration(value: str, expected: int) -> None:
    assert rule(f'path "a" {{ expiration = {value} }}').expiration == expected


@pytest.mark.parametrize("value", ['"2030-01-01"', '"soon"', "true"])
def test_bad_expiration(value: str) -> None:
    assert "invalid expiration time" in error(f'path "a" {{ expiration = {value} }}')


def test_openbao_extensions() -> None:
    parsed = rule(
        'path "a/*" {\n  capabilities = ["list"]\n  pagination_limit = "10"\n'
        '  list_scan_response_keys_filter_path = "{{ .path }}{{ .key }}"\n'
        '  mfa_methods = ["totp"]\n  control_group = { factor = { x = {} } }\n}'
    )
    assert parsed.pagination_limit == 10
    assert parsed.list_scan_response_keys_filter_path == "{{ .path }}{{ .key }}"
    assert parsed.mfa_methods == ("totp",)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ('pagination_limit = "x"', "pagination_limit must be an integer"),
        ('list_scan_response_keys_filter_path = "{{.key}}"', "with the list capability"),
        (
            'policy = "read"\n list_scan_response_keys_filter_path = "x"',
            "same path for two different keys",
        ),
        ("control_group = {}", "requires at least one factor"),
        ('mfa_methods = "x"', "mfa_methods must be a list"),
    ],
)
def test_openbao_extension_errors(body: str, detail: str) -> None:
    assert detail in error(f'path "a" {{\n {body}\n}}')


def test_default_policy_parses() -> None:
    policy = parse_policy("default", DEFAULT_POLICY_TEXT)
    patterns = [r.pattern for r in policy.rules]
    assert len(patterns) == 16
    assert "identity/entity/id/{{identity.entity.id}}" in patterns
    assert "identity/oidc/provider/+/authorize" in patterns
    cubbyhole = next(r for r in policy.rules if r.pattern == "cubbyhole/*")
    assert cubbyhole.capability_names == ["create", "delete", "list", "read", "update"]
