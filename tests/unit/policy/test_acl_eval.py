"""ACL evaluation: every line of OPENBAO-NOTES "ACL evaluation", plus what else OpenBao 2.7.2
was seen to do (rule priority, merging, parameters, help, templates, expiration)."""

from __future__ import annotations

import pytest

from strongroom.policy import ACL, DEFAULT_POLICY_TEXT, Capability, Policy, parse_policy
from strongroom.types import JSON


def acl(*texts: str) -> ACL:
    return ACL([parse_policy(f"p{index}", text) for index, text in enumerate(texts)])


def path(pattern: str, *capabilities: str, extra: str = "") -> str:
    names = ", ".join(f'"{name}"' for name in capabilities)
    return f'path "{pattern}" {{\n  capabilities = [{names}]\n  {extra}\n}}'


# --- which rule applies -----------------------------------------------------------------


def test_deny_wins_only_on_the_identical_pattern() -> None:
    both = acl(path("secret/foo", "read"), path("secret/*", "deny"))
    assert both.capabilities("secret/foo") == ["read"]
    assert both.capabilities("secret/bar") == ["deny"]
    same = acl(path("secret/foo", "read", "update"), path("secret/foo", "deny"))
    assert same.capabilities("secret/foo") == ["deny"]


def test_deny_within_one_policy_merges_the_same_way() -> None:
    one = acl(path("a", "read") + "\n" + path("a", "deny"))
    assert one.capabilities("a") == ["deny"]
    assert acl(path("a", "read") + "\n" + path("a", "list")).capabilities("a") == ["list", "read"]


@pytest.mark.parametrize(
    ("rival", "target"),
    [("secret/+/app*", "secret/x/apple"), ("secret/+/*", "secret/a/b/c")],
)
def test_fewer_plus_wins_when_wildcards_start_together(rival: str, target: str) -> None:
    rules = acl(path("secret/*", "read"), path(rival, "list"))
    assert rules.capabilities(target) == ["read"]


@pytest.mark.parametrize(
    ("first", "second", "target", "winner"),
    [
        ("secret/*", "secret/foo/+", "secret/foo/bar", "second"),  # later wildcard wins
        ("secret/f*", "secret/+/bar", "secret/foo/bar", "first"),
        ("secret/+", "secret/*", "secret/foo", "first"),  # no trailing glob beats a glob
        ("a/+/c", "a/+/c*", "a/b/c", "first"),
        ("+/ab*", "+/a*", "x/abc", "first"),  # longer wins
        ("+/+/a", "+/b/+", "x/b/a", "second"),  # lexicographically greater wins
        ("+/*", "a/*", "a/b", "second"),
        ("x/+/a+b+c+d", "x/+/+", "x/c/a+b+c+d", "first"),  # `+` *segments* are counted
    ],
)
def test_priority_between_wildcard_patterns(
    first: str, second: str, target: str, winner: str
) -> None:
    rules = acl(path(first, "read"), path(second, "list"))
    assert rules.capabilities(target) == (["read"] if winner == "first" else ["list"])


@pytest.mark.parametrize(
    ("first", "second", "target"),
    [("x/a+b/+", "x/a+b*", "x/a+b/c"), ("ab+/+", "ab*", "ab+/c"), ("x/a*b/+", "x/a*b*", "x/a*b/c")],
)
def test_first_wildcard_of_a_plus_pattern_is_its_first_plus_character(
    first: str, second: str, target: str
) -> None:
    # Observed on 2.7.2: `x/a+b/+` counts its wildcard from the "+" in "a+b" (position 3), so
    # `x/a+b*` (glob at 6) wins; a literal "*" does not count, so `x/a*b/+` (6) beats `x/a*b*` (5).
    rules = acl(path(first, "read"), path(second, "list"))
    expected = {"x/a+b/+": ["list"], "ab+/+": ["read"], "x/a*b/+": ["read"]}[first]
    assert rules.capabilities(target) == expected


def test_plus_and_star_inside_a_segment_are_literal() -> None:
    rules = acl(path("a+b", "read"), path("c/x+y/+", "list"), path("a/*/b", "update"))
    assert rules.capabilities("a+b") == ["read"]
    assert rules.capabilities("ab") == ["deny"]
    assert rules.capabilities("c/x+y/z") == ["list"]
    assert rules.capabilities("c/xy/z") == ["deny"]
    assert rules.capabilities("a/*/b") == ["update"]
    assert rules.capabilities("a/x/b") == ["deny"]


def test_only_the_final_star_globs() -> None:
    rules = acl(path("a*b*", "read"), path("**", "list"))
    assert rules.capabilities("a*bc") == ["read"]
    assert rules.capabilities("ab") == ["deny"]
    assert rules.capabilities("*a") == ["list"]


def test_exact_beats_every_wildcard_and_an_empty_rule_still_wins() -> None:
    rules = acl(path("secret/+/*", "read"), path("secret/foo/bar", "list"), 'path "x" {}')
    rules_with_glob = acl('path "x" {}', path("x*", "read"))
    assert rules.capabilities("secret/foo/bar") == ["list"]
    assert rules_with_glob.capabilities("x") == ["deny"]
    assert rules_with_glob.capabilities("xy") == ["read"]


# --- trailing slashes and empty segments ----------------------------------------------------


def test_trailing_slash_takes_the_exact_rule_for_listing_only() -> None:
    rules = acl(path("secret/foo", "read", "list"))
    assert rules.capabilities("secret/foo/") == ["list", "read"]
    assert rules.allowed("list", "secret/foo/").allowed
    assert not rules.allowed("read", "secret/foo/").allowed
    assert rules.capabilities("secret/foo//") == ["deny"]  # one slash only


def test_trailing_slash_matches_plus_only_if_nothing_else_matched() -> None:
    alone = acl(path("a/+", "read"))
    assert alone.capabilities("a/b/") == ["read"]
    assert alone.allowed("list", "a/b/").allowed is False  # read only; but the rule applied
    assert alone.allowed("list", "a/b/").pattern == "a/+"
    assert alone.allowed("read", "a/b/").pattern is None
    assert acl(path("a/+", "read"), path("a/b*", "list")).capabilities("a/b/") == ["list"]
    assert acl(path("a/+", "read"), path("a/c*", "list")).capabilities("a/b/") == ["read"]
    rival = acl(path("secret/*", "read"), path("secret/+/app", "list"))
    assert rival.capabilities("secret/x/app/") == ["read"]
    assert rival.capabilities("secret/x/app") == ["list"]


def test_pattern_with_trailing_slash() -> None:
    rules = acl(path("a/+/", "read"), path("b/", "list"))
    assert rules.capabilities("a/b/") == ["read"]
    assert rules.capabilities("a//") == ["read"]
    assert rules.capabilities("a/b") == ["deny"]
    assert rules.capabilities("b") == ["deny"]


def test_plus_matches_one_segment_even_when_empty() -> None:
    rules = acl(path("a/+/c", "read"), path("y/+", "list"), path("+", "update"))
    assert rules.capabilities("a//c") == ["read"]
    assert rules.capabilities("y/") == ["list"]
    assert rules.capabilities("a/b/b/c") == ["deny"]
    assert rules.capabilities("/") == ["update"]  # "" after the slash is trimmed


def test_leading_slashes_and_surrounding_spaces_are_removed() -> None:
    rules = acl(path("a", "read"), path(" a", "list"))
    assert rules.capabilities("  a  ") == ["read"]
    assert rules.capabilities("///a") == ["read"]
    assert rules.capabilities("/ a") == ["list"]  # inner spaces are kept
    assert rules.allowed("read", "/a").allowed


def test_pattern_loses_one_leading_slash() -> None:
    assert acl(path("/a", "read")).capabilities("a") == ["read"]
    assert acl(path("//a", "read")).capabilities("a") == ["deny"]


# --- capabilities output ------------------------------------------------------------------


def test_capabilities_are_sorted_and_deny_stands_alone() -> None:
    rules = acl(path("a", "update", "read", "sudo", "create", "scan", "patch", "list", "delete"))
    assert rules.capabilities("a") == [
        "create", "delete", "list", "patch", "read", "scan", "sudo", "update",
    ]  # fmt: skip
    assert acl(path("a", "read", "deny")).capabilities("a") == ["deny"]
    assert acl(path("a")).capabilities("a") == ["deny"]
    assert acl().capabilities("a") == ["deny"]


def test_root() -> None:
    for rules in (ACL.root(), ACL([Policy("root", ()), parse_policy("x", path("a", "deny"))])):
        assert rules.is_root
        assert rules.capabilities("a") == ["root"]
        decision = rules.allowed("delete", "sys/raw/x", {"any": 1})
        assert decision.allowed and decision.sudo


def test_legacy_write_has_no_patch() -> None:
    rules = acl('path "secret/*" { policy = "write" }')
    assert rules.capabilities("secret/x") == ["create", "delete", "list", "read", "update"]
    assert rules.allowed("update", "secret/x").allowed
    assert not rules.allowed("patch", "secret/x").allowed


# --- operations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "capability"),
    [
        ("create", "create"), ("read", "read"), ("update", "update"), ("patch", "patch"),
        ("delete", "delete"), ("list", "list"), ("scan", "scan"), ("renew", "update"),
        ("revoke", "update"), ("rollback", "update"),
    ],
)  # fmt: skip
def test_operation_needs_its_capability(operation: str, capability: str) -> None:
    assert acl(path("a", capability)).allowed(operation, "a").allowed
    others = [name for name in ("create", "read", "update", "patch", "delete", "list", "scan")]
    lacking = acl(path("a", *[name for name in others if name != capability]))
    assert not lacking.allowed(operation, "a").allowed


def test_help_needs_only_a_token() -> None:
    assert acl(path("a", "deny")).allowed("help", "a").allowed
    assert acl().allowed("help", "anything").allowed


def test_unknown_operation_and_unmatched_path_are_denied() -> None:
    rules = acl(path("a", "read"))
    assert "not subject to policy" in rules.allowed("alias-lookahead", "a").reason
    decision = rules.allowed("read", "b")
    assert (decision.allowed, decision.pattern) == (False, None)
    assert "no policy grants" in decision.reason


def test_sudo_and_wrapping_ttls_in_the_decision() -> None:
    ttls = 'min_wrapping_ttl = "1s"\n max_wrapping_ttl = "90s"'
    rules = acl(path("sys/audit/*", "sudo", "update", extra=ttls), path("other", "read"))
    decision = rules.allowed("update", "sys/audit/file")
    assert (decision.allowed, decision.sudo) == (True, True)
    assert (decision.min_wrapping_ttl, decision.max_wrapping_ttl) == (1, 90)
    assert decision.pattern == "sys/audit/*"
    refused = rules.allowed("read", "sys/audit/file")
    assert (refused.allowed, refused.sudo) == (False, True)  # sudo is reported regardless
    assert not acl(path("x", "sudo", "deny")).allowed("read", "x").sudo


# --- parameters ---------------------------------------------------------------------------


def allowed(extra: str, data: dict[str, JSON] | None, operation: str = "update") -> bool:
    rules = acl(path("kv/*", "create", "read", "update", "patch", "delete", "list", extra=extra))
    return rules.allowed(operation, "kv/x", data).allowed


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, False), ("5", False), ("s", True), (True, True), ("true", False), (1.5, False),
     (["s"], False), (None, False)],
)  # fmt: skip
def test_numbers_never_match_listed_values(value: JSON, expected: bool) -> None:
    assert allowed('allowed_parameters = { "n" = [5, "s", true, 1.5] }', {"n": value}) is expected


def test_star_value_is_literal_but_star_key_allows_everything() -> None:
    literal = 'allowed_parameters = { "k" = ["*"] }'
    assert not allowed(literal, {"k": "abc"})
    assert allowed(literal, {"k": "*"})
    open_key = 'allowed_parameters = { "*" = ["q"] }'
    assert allowed(open_key, {"k": "abc", "other": 1})
    mixed = 'allowed_parameters = { "*" = [], "a" = ["x"] }'
    assert allowed(mixed, {"k": "abc", "a": "x"})
    assert not allowed(mixed, {"a": "y"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [("foo-1", True), ("foo-", True), ("1-bar", True), ("-bar", True), ("xmidx", True),
     ("fo", False), ("x*y", True), ("xay", True), ("xa", False)],
)  # fmt: skip
def test_value_globs(value: str, expected: bool) -> None:
    rule = 'allowed_parameters = { "a" = ["foo-*", "*-bar", "*mid*", "x*y"] }'
    assert allowed(rule, {"a": value}) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(["v"], True), ({"x": "y"}, True), ([1], False), (["w"], False), ({"x": "z"}, False),
     ({"x": "y", "q": "r"}, False), ("v", False)],
)  # fmt: skip
def test_lists_and_maps_compare_structurally(value: JSON, expected: bool) -> None:
    # As observed: `k = [["v"], {x = "y"}, [1]]` lets ["v"] and {"x": "y"} through, not [1].
    assert allowed('allowed_parameters = { "k" = [["v"], {x = "y"}, [1]] }', {"k": value}) is (
        expected
    )


def test_keys_compare_lower_cased() -> None:
    assert allowed('allowed_parameters = { "n" = [] }', {"N": "s"})
    assert not allowed('denied_parameters = { "E" = [] }', {"e": "1"})
    assert not allowed('denied_parameters = { "k" = ["q"] }', {"K": "q"})


def test_denied_parameters() -> None:
    rule = 'denied_parameters = { "k" = ["q", "w*"], "e" = [] }'
    assert allowed(rule, {"k": "abc"})
    assert not allowed(rule, {"k": "q"})
    assert not allowed(rule, {"k": "wow"})
    assert not allowed(rule, {"e": ""})
    everything = 'denied_parameters = { "*" = ["q"] }'
    assert not allowed(everything, {"k": "abc"})
    assert allowed(everything, {})
    both = 'allowed_parameters = { "k" = [] }\n denied_parameters = { "k" = ["x"] }'
    assert not allowed(both, {"k": "x"})
    assert allowed(both, {"k": "y"})


def test_required_parameters_are_case_folded() -> None:
    rule = 'required_parameters = ["Req"]'
    assert allowed(rule, {"req": "1"})
    assert not allowed(rule, {"Req": "1"})
    assert not allowed(rule, {"REQ": "1"})
    assert not allowed(rule, {})
    assert not allowed(rule, None)


def test_get_query_and_patch_bodies_count_but_delete_and_list_do_not() -> None:
    rule = 'allowed_parameters = { "a" = [] }\n required_parameters = ["a"]'
    for operation in ("read", "patch", "create", "update"):
        assert not allowed(rule, {"b": "1", "a": "1"}, operation)
        assert allowed(rule, {"a": "1"}, operation)
    for operation in ("delete", "list"):
        assert allowed(rule, {"b": "1"}, operation)
        assert allowed(rule, None, operation)


def test_empty_body_skips_allowed_and_denied_checks() -> None:
    assert allowed('denied_parameters = { "*" = [] }', {})
    assert allowed('allowed_parameters = { "a" = ["x"] }', None)


def test_adding_a_policy_with_parameter_rules_can_take_writes_away() -> None:
    open_policy = path("kv/*", "update")
    restricted = path("kv/*", "read", extra='allowed_parameters = { "a" = [] }')
    assert acl(open_policy).allowed("update", "kv/x", {"b": "1"}).allowed
    assert not acl(open_policy, restricted).allowed("update", "kv/x", {"b": "1"}).allowed
    assert acl(open_policy, restricted).allowed("update", "kv/x", {"a": "1"}).allowed


def test_parameter_merge_empty_list_wins_and_values_join() -> None:
    one = path("kv/*", "update", extra='allowed_parameters = { "a" = ["x"] }')
    two = path("kv/*", "update", extra='allowed_parameters = { "a" = [], "b" = ["y"] }')
    three = path("kv/*", "update", extra='allowed_parameters = { "b" = ["z"] }')
    rules = acl(one, two, three)
    assert rules.allowed("update", "kv/x", {"a": "anything"}).allowed
    assert rules.allowed("update", "kv/x", {"b": "z"}).allowed
    assert not rules.allowed("update", "kv/x", {"b": "q"}).allowed
    (merged,) = rules.rules
    assert dict(merged.allowed_parameters) == {"a": (), "b": ("z", "y")}


def test_merge_required_ttls_and_a_later_deny() -> None:
    first = path("z", "read", extra='min_wrapping_ttl = "10s"\n required_parameters = ["a", "A"]')
    second = path("z", "list", extra='max_wrapping_ttl = 100\n required_parameters = ["a", "b"]')
    (merged,) = acl(first, second).rules
    assert merged.required_parameters == ("a", "A", "b")
    assert (merged.min_wrapping_ttl, merged.max_wrapping_ttl) == (10, 100)
    lower = path("z", "list", extra='min_wrapping_ttl = "5s"')
    assert acl(first, lower).rules[0].min_wrapping_ttl == 5
    params = path("z", "read", extra='allowed_parameters = { "a" = [] }\n min_wrapping_ttl = 7')
    (denied,) = acl(params, path("z", "deny")).rules
    assert denied.capabilities == Capability.DENY
    assert not denied.allowed_parameters and denied.min_wrapping_ttl == 7
    (kept,) = acl(path("z", "deny"), params).rules
    assert kept.capabilities == Capability.DENY and kept.min_wrapping_ttl == 0


# --- templates, expiration, the default policy --------------------------------------------


def test_templated_rules_fill_from_identity_or_drop() -> None:
    policy = parse_policy("t", path("secret/{{ identity.entity.id }}/*", "read"))
    assert ACL([policy]).capabilities("secret/{{ identity.entity.id }}/x") == ["deny"]
    filled = ACL([policy], identity={"identity.entity.id": "e1"})
    assert filled.capabilities("secret/e1/x") == ["read"]
    for unsafe in ("a/b", "a*", "+", ""):
        assert ACL([policy], identity={"identity.entity.id": unsafe}).rules == ()


def test_expiring_rules_need_the_time() -> None:
    policy = parse_policy("e", path("a", "read", extra="expiration = 1000"))
    assert ACL([policy]).capabilities("a") == ["deny"]  # no clock: fail closed
    assert ACL([policy], now=999).capabilities("a") == ["read"]
    assert ACL([policy], now=1000).capabilities("a") == ["deny"]
    assert ACL([policy], now=999).valid_until == 1000
    assert ACL([parse_policy("x", path("a", "read"))]).valid_until is None
    later = parse_policy("l", path("a", "list", extra="expiration = 2000"))
    assert ACL([later, policy], now=10).valid_until == 1000
    assert ACL([policy, later], now=10).valid_until == 1000
    forever = parse_policy("f", path("a", "update"))
    assert ACL([policy, forever], now=10).valid_until == 1000


def test_default_policy() -> None:
    rules = ACL([parse_policy("default", DEFAULT_POLICY_TEXT)])
    assert rules.capabilities("auth/token/lookup-self") == ["read"]
    assert rules.capabilities("cubbyhole/x") == ["create", "delete", "list", "read", "update"]
    assert rules.capabilities("identity/oidc/provider/p/authorize") == ["read", "update"]
    assert rules.capabilities("sys/tools/hash/sha2-256") == ["update"]
    assert rules.capabilities("identity/entity/id/{{identity.entity.id}}") == ["deny"]
    assert rules.capabilities("secret/data/x") == ["deny"]
    assert rules.names == ("default",)
