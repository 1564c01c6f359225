"""parse_password_policy: HCL and JSON password policies, with OpenBao 2.7.2's messages.

Every message below was read off a real OpenBao 2.7.2 (`bao server -dev`), from the text after
its endpoint's `1 error occurred:\\n\\t* invalid password policy: ` prefix.
"""

from __future__ import annotations

import pytest

from strongroom.errors import InvalidRequest
from strongroom.policy.password import (
    DEFAULT_PASSWORD_POLICY,
    DEFAULT_POLICY_TEXT,
    CharsetRule,
    PasswordPolicy,
    multierror,
    parse_password_policy,
)

DECODE = "decoding failed due to the following error(s):\n\n"
CHARSET_DECODE = (
    "unable to parse rules: unable to parse rule charset: failed to parse charset restriction: "
    + DECODE
)


def charset(value: str, extra: str = "") -> str:
    return f'length = 20\nrule "charset" {{\n  charset = {value}\n{extra}}}\n'


def error(text: str) -> str:
    with pytest.raises(InvalidRequest) as caught:
        parse_password_policy(text)
    assert caught.value.status == 400
    return str(caught.value)


def rules(policy: PasswordPolicy) -> list[tuple[str, int]]:
    return [(rule.charset, rule.min_chars) for rule in policy.rules]


def test_hcl_policy() -> None:
    policy = parse_password_policy(
        'length = 20\nrule "charset" {\n  charset = "abcdefghijklmnopqrstuvwxyz"\n'
        '  min-chars = 1\n}\nrule "charset" {\n  charset = "0123456789"\n  min-chars = 2\n}\n'
    )
    assert policy.length == 20
    assert rules(policy) == [("abcdefghijklmnopqrstuvwxyz", 1), ("0123456789", 2)]
    assert policy.charset == "abcdefghijklmnopqrstuvwxyz0123456789"


def test_json_policy_in_both_shapes() -> None:
    as_object = parse_password_policy('{"length": 8, "rule": {"charset": {"charset": "ab"}}}')
    as_list = parse_password_policy(
        '{"length": 8, "rule": [{"charset": {"charset": "ab", "min-chars": 2}}]}'
    )
    assert (as_object.length, rules(as_object)) == (8, [("ab", 0)])
    assert rules(as_list) == [("ab", 2)]


def test_default_policy_text_is_the_default_policy() -> None:
    assert parse_password_policy(DEFAULT_POLICY_TEXT) == DEFAULT_PASSWORD_POLICY


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        # floats truncate, as Go's decoder converts them
        ('length = 20.9\nrule "charset" { charset = "abc" }', 20, [("abc", 0)]),
        ('length = 1e1\nrule "charset" { charset = "abc" }', 10, [("abc", 0)]),
        (charset('"d"', "  min-chars = 2.7\n"), 20, [("d", 2)]),
        # a repeated key keeps its last value
        ('length = 20\nlength = 30\nrule "charset" { charset = "abc" }', 30, [("abc", 0)]),
        (charset('"abc"', '  charset = "def"\n'), 20, [("def", 0)]),
        # unknown keys are ignored, at the top and inside a rule
        (
            'length = 8\nfoo = 1\nrule "charset" {\n charset = "ab"\n bogus = true\n}',
            8,
            [("ab", 0)],
        ),
        # duplicates, non-ASCII letters, a space, "${...}" (plain text in HCL 1), code points
        (charset('"aabc"'), 20, [("aabc", 0)]),
        (charset('"日本語é"'), 20, [("日本語é", 0)]),
        (charset('" "'), 20, [(" ", 0)]),
        (charset('"${x}"'), 20, [("${x}", 0)]),
        (charset("[97, 98]"), 20, [("ab", 0)]),
        # negative min-chars are allowed and count in the sum
        (
            'length = 4\nrule "charset" {\n charset = "ab"\n min-chars = -10\n}\n'
            'rule "charset" {\n charset = "cd"\n min-chars = 12\n}',
            4,
            [("ab", -10), ("cd", 12)],
        ),
        # an unquoted label, a one-line block, comments
        ('length = 8\nrule charset { charset = "ab" } # c\n// c\n/* c */', 8, [("ab", 0)]),
    ],
)
def test_accepted_as_openbao_accepts(text: str, length: int, expected: list[object]) -> None:
    policy = parse_password_policy(text)
    assert (policy.length, rules(policy)) == (length, expected)


def test_lengths_outside_4_to_100_parse() -> None:
    # The bounds are the endpoint's check, not the parser's (OpenBao's order).
    assert parse_password_policy('length = 1\nrule "charset" { charset = "a" }').length == 1
    assert parse_password_policy('length = 500\nrule "charset" { charset = "a" }').length == 500


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("", ["length must be > 0", "no charset specified"]),
        (" ", ["length must be > 0", "no charset specified"]),
        ("length = 20", ["no charset specified"]),
        ('rule "charset" { charset = "abc" }', ["length must be > 0"]),
        ('length = -1\nrule "charset" { charset = "abc" }', ["length must be > 0"]),
        (charset('""'), ["no charset specified"]),
        ('length = 20\nrule "charset" {\n}', ["no charset specified"]),
        ('length = 20\nrules "charset" { charset = "abc" }', ["no charset specified"]),
        # a second label nests the body one level down, so the rule has no charset
        ('length = 20\nrule "charset" "x" { charset = "abc" }', ["no charset specified"]),
        (
            charset('"abc"', "  min-chars = 21\n"),
            ["specified rules require at least 21 characters but 20 is specified"],
        ),
        (
            'length = 4\nrule "charset" {\n charset = "a"\n min-chars = 4\n}\n'
            'rule "charset" {\n charset = "b"\n min-chars = 1\n}',
            ["specified rules require at least 5 characters but 4 is specified"],
        ),
        # the min-chars check needs a positive length
        (
            'length = 0\nrule "charset" {\n charset = "abc"\n min-chars = 5\n}',
            ["length must be > 0"],
        ),
        (
            'length = 5\nrule "charset" {\n charset = ""\n min-chars = 10\n}',
            [
                "specified rules require at least 10 characters but 5 is specified",
                "no charset specified",
            ],
        ),
        (charset('"ab\\tc"'), ["non-printable character in charset"]),
        (charset('"abc\\n"'), ["non-printable character in charset"]),
        (charset('"a\\u00a0b"'), ["non-printable character in charset"]),
        (charset('"a\\u200bb"'), ["non-printable character in charset"]),
        (charset('"a\\u007fb"'), ["non-printable character in charset"]),
        # a heredoc keeps its trailing newline in HCL 1
        (charset("<<EOT\nabc\nEOT\n"), ["non-printable character in charset"]),
        (
            charset('"\\n"', "  min-chars = 30\n"),
            [
                "specified rules require at least 30 characters but 20 is specified",
                "non-printable character in charset",
            ],
        ),
    ],
)
def test_validation_problems_reported_together(text: str, problems: list[str]) -> None:
    assert error(text) == multierror(problems)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'length = 20\nrule "foo" { charset = "abc" }',
            "unable to parse rules: unable to parse rule foo: unrecognized rule type foo",
        ),
        (
            'length = 20\nrule "CHARSET" { charset = "abc" }',
            "unable to parse rules: unable to parse rule CHARSET: unrecognized rule type CHARSET",
        ),
        (
            '{"length": 20, "rule": [{"charset": {"charset": "a"}, "nope": {}}]}',
            "unable to parse rules: unable to parse rule nope: unrecognized rule type nope",
        ),
        (
            'length = "20"\nrule "charset" { charset = "abc" }',
            "failed to decode configuration: "
            + DECODE
            + "'length' expected type 'int', got unconvertible type 'string'",
        ),
        (
            "length = true\nrule = 5",
            "failed to decode configuration: "
            + DECODE
            + "'length' expected type 'int', got unconvertible type 'bool'",
        ),
        (
            'length = [1]\nrule "charset" { charset = "abc" }',
            "failed to decode configuration: "
            + DECODE
            + "'length' expected type 'int', got unconvertible type '[]interface {}'",
        ),
        (
            'length = {a = 1}\nrule "charset" { charset = "abc" }',
            "failed to decode configuration: "
            + DECODE
            + "'length' expected type 'int', got unconvertible type '[]map[string]interface {}'",
        ),
        (
            '{"length": null, "rule": {"charset": {"charset": "abc"}}}',
            "failed to decode configuration: "
            + DECODE
            + "'length' expected type 'int', got unconvertible type 'string'",
        ),
        (
            "length = 20\nrule = 5",
            "unable to retrieve rules: '' source data must be an array or slice, got int",
        ),
        (
            '{"length": 20, "rule": [5]}',
            "unable to retrieve rules: "
            + DECODE
            + "'[0]' expected type 'map[string]interface {}', got unconvertible type 'int'",
        ),
        (
            '{"length": 20, "rule": [{}]}',
            "unable to parse rules: unable to get rule info: rule is empty",
        ),
        (
            '{"length": 20, "rule": [{"charset": []}]}',
            "unable to parse rules: unable to get rule info: rule info cannot be empty",
        ),
        (
            'length = 20\nrule { charset = "abc" }',
            "unable to parse rules: unable to get rule info: unable to get rule data: "
            "'' source data must be an array or slice, got string",
        ),
        (
            '{"length": 20, "rule": [{"charset": [5]}]}',
            "unable to parse rules: unable to get rule info: unable to get rule data: "
            + DECODE
            + "'[0]' expected type 'map[string]interface {}', got unconvertible type 'int'",
        ),
        (
            charset("123", '  min-chars = "2"\n'),
            CHARSET_DECODE + "'charset' source data must be an array or slice, got int\n"
            "'min-chars' expected type 'int', got unconvertible type 'string'",
        ),
        (
            charset("true"),
            CHARSET_DECODE + "'charset' source data must be an array or slice, got bool",
        ),
        (
            charset('["a", "b"]'),
            CHARSET_DECODE + "'charset[0]' expected type 'int32', got unconvertible type 'string'\n"
            "'charset[1]' expected type 'int32', got unconvertible type 'string'",
        ),
        (
            charset("{a = 1}"),
            CHARSET_DECODE + "'charset[0]' expected type 'int32', "
            "got unconvertible type 'map[string]interface {}'",
        ),
        (
            charset('"abc"', "  min-chars = true\n"),
            CHARSET_DECODE + "'min-chars' expected type 'int', got unconvertible type 'bool'",
        ),
        (
            charset('"abc"', "  min-chars = [1]\n"),
            CHARSET_DECODE
            + "'min-chars' expected type 'int', got unconvertible type '[]interface {}'",
        ),
        (
            '{"length": 20, "rule": {"charset": {"charset": null, "min-chars": null}}}',
            CHARSET_DECODE + "'min-chars' expected type 'int', got unconvertible type 'string'",
        ),
        (
            charset('"abc"', "  min-chars = 99999999999999999999\n"),
            'unable to decode: strconv.ParseInt: parsing "99999999999999999999": '
            "value out of range",
        ),
        (
            '{"length": -99999999999999999999, "rule": []}',
            'unable to decode: strconv.ParseInt: parsing "-99999999999999999999": '
            "value out of range",
        ),
    ],
)
def test_decoding_errors_in_openbao_words(text: str, message: str) -> None:
    assert error(text) == message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('length = 20\nrule "charset" {\n charset = "abc"\n}\n}', "At 5:1: "),
        ("not valid at all", "At 1:17: "),
        ("length = 10 + 10", "At 1:10: "),
        ('length = 20\nrule "charset" {\n charset = var.x\n}', "At 3:12: "),
        ('length = upper("a")', "At 1:10: "),
        ("[1, 2]", "At 1:1: "),
    ],
)
def test_syntax_errors_say_where(text: str, where: str) -> None:
    # OpenBao's HCL 1 parser words these its own way; the prefix and position are the same.
    assert error(text).startswith("unable to decode: " + where)


def test_json_constants_are_not_json() -> None:
    assert error('{"length": NaN, "rule": []}').startswith("unable to decode: ")


def test_rule_construction_guards() -> None:
    with pytest.raises(ValueError):
        PasswordPolicy(length=0, rules=(CharsetRule("a"),))
    with pytest.raises(ValueError):
        PasswordPolicy(length=5, rules=(CharsetRule(""),))
    with pytest.raises(ValueError):
        PasswordPolicy(length=5, rules=())


def test_out_of_range_code_points_are_not_printable() -> None:
    assert error(charset("[97, -1]")) == multierror(["non-printable character in charset"])
    assert error(charset("[97, 1e300]")) == multierror(["non-printable character in charset"])
