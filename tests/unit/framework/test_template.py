"""Vault's username templates (sdk/helper/template): syntax, functions, errors, defaults."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from strongroom.framework.template import (
    MYSQL_DEFAULT_USERNAME_TEMPLATE,
    MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE,
    POSTGRESQL_DEFAULT_USERNAME_TEMPLATE,
    TemplateError,
    compile_template,
)

NOW = datetime(2024, 3, 5, 7, 8, 9, 123456, tzinfo=UTC)  # unix 1709622489
FIELDS = {"DisplayName": "token-alice", "RoleName": "readonly"}
FIRST_20 = "ABCDEFGHIJKLMNOPQRST"  # what `random 20` draws from counting entropy


def counting(size: int) -> bytes:
    """Entropy that returns 0, 1, 2, ...: `random` then yields the charset in order."""
    return bytes(range(size))


def scripted(*chunks: bytes) -> Iterator[bytes]:
    yield from chunks


def render(text: str, fields: dict[str, str] | None = None, now: datetime = NOW) -> str:
    return compile_template(text).render(FIELDS if fields is None else fields, now, counting)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain text, no actions", "plain text, no actions"),
        ("a }} b {", "a }} b {"),
        ("{{ .DisplayName }}/{{ .RoleName }}", "token-alice/readonly"),
        ("{{ . }}", "map[DisplayName:token-alice RoleName:readonly]"),
        ('{{ "abcdef" | truncate 3 }}', "abc"),
        ('{{ "ab" | truncate 3 }}', "ab"),
        ('{{ truncate 4 "abcdef" }}', "abcd"),
        ('{{ "héllo" | truncate 2 }}', "h"),  # 2 bytes; never half of "é"
        ('{{ "abcdefghijklmnopqrstuvwxyz" | truncate_sha256 26 }}', "abcdefghijklmnopqrstuvwxyz"),
        # first 8 chars + sha256("ijklmnopqrstuvwxyz")[:8]: the hash of the cut-off tail
        ('{{ "abcdefghijklmnopqrstuvwxyz" | truncate_sha256 16 }}', "abcdefgh44991c89"),
        ("{{ .DisplayName | uppercase }}", "TOKEN-ALICE"),
        ('{{ "MiXeD" | lowercase }}', "mixed"),
        ('{{ "straße" | uppercase }}', "STRAßE"),
        ('{{ .DisplayName | replace "-" "_" }}', "token_alice"),
        ('{{ replace "a" "4" "banana" }}', "b4n4n4"),
        (
            '{{ "abc" | sha256 }}',
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        ('{{ "hello" | base64 }}', "aGVsbG8="),
        ('{{ "aGVs\\nbG8=" | decode_base64 }}', "hello"),
        ('{{ "hi" | hex }}', "6869"),
        ('{{ "6869" | decode_hex }}', "hi"),
        ("{{ unix_time }}", "1709622489"),
        ("{{ unix_time_millis }}", "1709622489123"),
        ("{{ random 20 }}", FIRST_20),
        ("{{ random 0 }}", ""),
        ("{{ uuid }}", "00010203-0405-0607-0809-0a0b0c0d0e0f"),
        ('{{ printf "%s" uuid }}', "00010203-0405-0607-0809-0a0b0c0d0e0f"),
        ('{{ printf "%s-%s" unix_time "x" }}', "1709622489-x"),
        ("{{ 42 }} {{ -3 }} {{ +7 }}", "42 -3 7"),
        ("{{ 0x1F }} {{ 010 }} {{ 0o17 }} {{ 0b101 }} {{ 1_000 }}", "31 8 15 5 1000"),
    ],
)
def test_render(text: str, expected: str) -> None:
    assert render(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the piped value becomes the LAST argument of the next command
        ('{{ "abc" | printf "%s-%s" "x" }}', "x-abc"),
        ('{{ "a-b" | replace "-" "+" | uppercase | printf "<%s>" }}', "<A+B>"),
        ('{{ .RoleName | truncate 4 | printf "%s|%s" .DisplayName }}', "token-alice|read"),
        (
            '{{ printf "%s/%s" (lowercase (printf "%s!" (.RoleName | uppercase))) '
            '("x" | uppercase) }}',
            "readonly!/X",
        ),
        ('{{ ((("deep"))) | uppercase }}', "DEEP"),
        ('{{ printf "%s" ("a"|uppercase) }}', "A"),
    ],
)
def test_pipelines_and_parentheses(text: str, expected: str) -> None:
    assert render(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r'{{ "tab\there" }}', "tab\there"),
        (r'{{ "\a\b\f\n\r\v\\\"" }}', '\a\b\f\n\r\v\\"'),
        (r'{{ "\x41\101\u00e9\U0001F600" }}', "AAé😀"),
        (r'{{ "\xc3\xa9" }}', "é"),  # \x escapes are bytes, as in Go
        ('{{ `raw \\n "q" }}` }}', 'raw \\n "q" }}'),
        ("{{ `a\r\nb` }}", "a\nb"),  # Go drops CR from raw strings
        ('{{ "}}" }}', "}}"),
    ],
)
def test_string_literals(text: str, expected: str) -> None:
    assert render(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('a  {{- "b" -}}  c', "abc"),
        ("a \n\t{{- 1 }} b", "a1 b"),
        ("a {{ 1 -}} \n\n b", "a 1b"),
        ("{{-3}}", "-3"),  # a number, not a trim marker
        ("{{- 3 -}}", "3"),
        ("x{{/* a comment */}}y", "xy"),
        ("x \n{{- /* trimmed\ncomment */ -}}\n y", "xy"),
    ],
)
def test_trim_markers_and_comments(text: str, expected: str) -> None:
    assert render(text) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ('"%s-%d" "a" 5', "a-5"),
        ('"%v %v" "a" 5', "a 5"),
        ('"100%%"', "100%"),
        ('"%5s|%-5s|%.2s|%05s"', "%!s(MISSING)|%!s(MISSING)|%!s(MISSING)|%!s(MISSING)"),
        ('"%5s|%-5s|%.2s|%05s" "ab" "ab" "abcdef" "ab"', "   ab|ab   |ab|   ab"),
        ('"%+d|% d|%05d|%-5d|%.3d|%.0d|%-05d" 5 5 -42 7 7 0 3', "+5| 5|-0042|7    |007||3    "),
        ('"%q" "a\\"b\\n"', '"a\\"b\\n"'),
        ('"%q|%+q|%#q|%#q" "é" "é" "x" "a`b"', '"é"|"\\u00e9"|`x`|"a`b"'),
        ('"%q %q" 65 -1', "'A' '\ufffd'"),
        ('"%+v|%#v|%#v" 5 5 "s"', '5|5|"s"'),
        ('"%d" "x"', "%!d(string=x)"),
        ('"%5d" "x"', "%!d(string=    x)"),
        ('"%s" 5', "%!s(int=5)"),
        ('"%d %s"', "%!d(MISSING) %!s(MISSING)"),
        ('"%s" "a" "b" 3', "a%!(EXTRA string=b, int=3)"),
        ('"100%"', "100%!(NOVERB)"),
        ('"%v" .', "map[DisplayName:token-alice RoleName:readonly]"),
        ('"%q" .', 'map["DisplayName":"token-alice" "RoleName":"readonly"]'),
        ('"%#v" .', 'map[string]string{"DisplayName":"token-alice", "RoleName":"readonly"}'),
        ('"%d" unix_time', "%!d(string=1709622489)"),  # Vault's unix_time returns a string
        ('"é%sé" "ü"', "éüé"),
    ],
)
def test_printf(args: str, expected: str) -> None:
    assert render("{{ printf " + args + " }}") == expected


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        ("2006-01-02T15:04:05Z07:00", "2024-03-05T07:08:09Z"),
        ("2006-01-02 15:04:05-0700", "2024-03-05 07:08:09+0000"),
        ("Monday, January 2 2006 3:04:05 PM", "Tuesday, March 5 2024 7:08:09 AM"),
        ("Mon Jan _2 15:04:05.000000 2006 MST", "Tue Mar  5 07:08:09.123456 2024 UTC"),
        ("05.9|05.999999999|05,000|05.0", "09.1|09.123456|09,123|09.1"),
        ("002 __2 06 03pm 4 5 1 2", "065  65 24 07am 8 9 3 5"),
        ("Janet Month _2006 2006.01", "Janet Month _2024 2024.03"),
        ("20060102150405", "20240305070809"),
    ],
)
def test_timestamp_layouts(layout: str, expected: str) -> None:
    assert render("{{ timestamp `" + layout + "` }}") == expected


def test_timestamp_zones_and_defaults() -> None:
    india = datetime(2024, 3, 5, 7, 8, 9, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    layout = '{{ timestamp "Z07:00 -07 Z0700 -07:00:00 MST .999" }}'
    assert render(layout, now=india) == "+05:30 +05 +0530 +05:30:00 +0530 "
    west = datetime(2024, 1, 1, 23, 0, tzinfo=timezone(timedelta(hours=-3)))
    assert render('{{ timestamp "Z07:00 3PM" }}', now=west) == "-03:00 11PM"
    naive = datetime(2024, 3, 5, 7, 8, 9)  # read as UTC
    assert render("{{ unix_time }} {{ timestamp `Z07:00` }}", now=naive) == "1709622489 Z"
    before = datetime.now(UTC)
    unix = int(compile_template("{{ unix_time }}").render({}))
    assert int(before.timestamp()) <= unix <= int(before.timestamp()) + 60


def test_random_rejects_biased_bytes_and_refills() -> None:
    # 248 and 255 are >= 4*62 and skipped (base62's bias-free rule); 61 and 247 map to "9".
    chunks = scripted(b"\xf8\xff\x3d", b"\xf7\x00\x3e")
    text = compile_template("{{ random 3 }}").render({}, NOW, lambda n: next(chunks))
    assert text == "99A"


def test_random_and_uuid_use_secrets_by_default() -> None:
    template = compile_template("{{ random 40 }} {{ uuid }}")
    first, second = template.render({}), template.render({})
    assert re.fullmatch(r"[A-Za-z0-9]{40} [0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", first)
    assert first != second


def test_deep_nesting_is_a_template_error_not_a_crash() -> None:
    with pytest.raises(TemplateError, match="nests too deeply"):
        compile_template("{{ " + "(" * 1000 + "uuid" + ")" * 1000 + " }}")
    long_pipeline = compile_template("{{ uuid" + " | lowercase" * 1000 + " }}")
    with pytest.raises(TemplateError, match="nests too deeply"):
        long_pipeline.render({}, NOW, counting)


def test_a_template_is_reusable_with_other_fields() -> None:
    template = compile_template("{{ .RoleName | uppercase }}")
    assert template.render({"RoleName": "a"}) == "A"
    assert template.render({"RoleName": "b"}) == "B"
    assert template.source == "{{ .RoleName | uppercase }}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "missing template"),
        ("{{ nope }}", 'template:1:3: function "nope" not defined'),
        ("ab\n  {{ nope }}", 'template:2:5: function "nope" not defined'),
        ("{{ truncate 3 }}", "wrong number of args for truncate: want 2 got 1"),
        ("{{ .X | truncate 3 4 }}", "wrong number of args for truncate: want 2 got 3"),
        ("{{ uuid 1 }}", "wrong number of args for uuid: want 0 got 1"),
        ("{{ printf }}", "wrong number of args for printf: want at least 1 got 0"),
        ("{{ printf 5 }}", "printf: argument 1: expected string; found 5"),
        ('{{ truncate "3" "x" }}', 'truncate: argument 1: expected integer; found "3"'),
        ('{{ random (printf "3") }}', "expected int; got string"),
        ("{{ truncate 3 . }}", "wrong type for value; expected string; got map[string]string"),
        ("{{ truncate 3 5 }}", "argument 2: expected string; found 5"),
        ("{{ if .X }}x{{ end }}", "{{if}} is not supported"),
        ("{{ range . }}", "{{range}} is not supported"),
        ("{{ with .X }}", "{{with}} is not supported"),
        ('{{ define "x" }}', "{{define}} is not supported"),
        ("{{ $x := 1 }}", "variables are not supported"),
        ("{{ true }}", "true is not supported"),
        ("{{ 1.5 }}", "floating-point numbers are not supported"),
        ("{{ 1e3 }}", "floating-point numbers are not supported"),
        ("{{ 0x }}", 'bad number syntax: "0x"'),
        ("{{ 9223372036854775808 }}", "integer out of range"),
        ("{{ 'a' }}", "character constants are not supported"),
        ("{{ .A.B }}", "can't evaluate field B in type string"),
        ('{{ .X "a" }}', "can't give argument to non-function .X"),
        ('{{ ("a") "b" }}', "can't give argument to non-function"),
        ('{{ "a" | "b" }}', "non executable command in pipeline stage 2"),
        ('{{ "a" | .X }}', "non executable command in pipeline stage 2"),
        ("{{ }}", "missing value for command"),
        ("{{ uuid | }}", "missing value for command"),
        ("{{ | uuid }}", "missing value for command"),
        ("{{ (uuid }}", "unclosed left paren"),
        ("{{ uuid) }}", "unexpected right paren"),
        ('{{ "a""b" }}', 'unexpected "b" in operand'),
        ("{{ uuid", "unclosed action"),
        ('{{ "abc }}', "unterminated quoted string"),
        ('{{ "a\nb" }}', "unterminated quoted string"),
        ("{{ `abc }}", "unterminated raw quoted string"),
        (r'{{ "\q" }}', "unknown escape sequence \\q"),
        (r'{{ "\'" }}', "unknown escape sequence \\'"),
        (r'{{ "\400" }}', "invalid octal escape"),
        (r'{{ "\uD800" }}', "not a valid code point"),
        (r'{{ "\xff" }}', "not valid UTF-8"),
        ("{{ uuid # }}", "unrecognized character in action: '#'"),
        ("{{/* open", "unclosed comment"),
        ("{{/* c */ uuid }}", "comment ends before closing delimiter"),
        ('{{ printf "%x" 1 }}', "printf: verb %x is not supported"),
        ('{{ printf "%*d" 1 2 }}', "printf: '*' widths and [n] argument indexes"),
        ("{{ glob `a*` .X }}", 'function "glob" not defined'),
    ],
)
def test_compile_errors(text: str, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        compile_template(text)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{{ .Missing }}",
            'template:1:3: executing "template" at <.Missing>: map has no entry for key "Missing"',
        ),
        (
            "{{ .DisplayName | truncate 0 }}",
            'template:1:18: executing "template" at <truncate>: '
            "error calling truncate: max length must be > 0 but was 0",
        ),
        ('{{ truncate_sha256 8 "x" }}', "max length must be > 8 but was 8"),
        ("{{ random -1 }}", "error calling random: length must be >= 0 but was -1"),
        ('{{ "a!" | decode_base64 }}', "error calling decode_base64: illegal base64 data"),
        ('{{ "/w==" | decode_base64 }}', "decoded value is not valid UTF-8"),
        ('{{ "abc" | decode_hex }}', "error calling decode_hex: invalid hex data"),
        ("{{ printf .Format 1 }}", "error calling printf: verb %x is not supported"),
    ],
)
def test_render_errors(text: str, message: str) -> None:
    template = compile_template(text)
    with pytest.raises(TemplateError) as caught:
        template.render({"DisplayName": "d", "Format": "%x"}, NOW, counting)
    assert message in str(caught.value)


def test_default_template_strings_are_vaults() -> None:
    assert POSTGRESQL_DEFAULT_USERNAME_TEMPLATE == (
        '{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 8) (.RoleName | truncate 8) '
        "(random 20) (unix_time) | truncate 63 }}"
    )
    assert MYSQL_DEFAULT_USERNAME_TEMPLATE == (
        '{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 10) (.RoleName | truncate 10) '
        "(random 20) (unix_time) | truncate 32 }}"
    )
    assert MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE == (
        '{{ printf "v-%s-%s-%s" (.RoleName | truncate 4) (random 20) | truncate 16 }}'
    )


@pytest.mark.parametrize(
    ("template", "fields", "expected"),
    [
        (
            POSTGRESQL_DEFAULT_USERNAME_TEMPLATE,
            FIELDS,
            f"v-token-al-readonly-{FIRST_20}-1709622489",
        ),
        (
            POSTGRESQL_DEFAULT_USERNAME_TEMPLATE,
            {"DisplayName": "", "RoleName": ""},
            f"v---{FIRST_20}-1709622489",
        ),
        (MYSQL_DEFAULT_USERNAME_TEMPLATE, FIELDS, "v-token-alic-readonly-ABCDEFGHIJ"),
        (MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE, FIELDS, "v-read-ABCDEFGHI"),
    ],
)
def test_default_templates_exact(template: str, fields: dict[str, str], expected: str) -> None:
    assert render(template, fields) == expected


@pytest.mark.parametrize(
    ("template", "shape", "length"),
    [
        (
            POSTGRESQL_DEFAULT_USERNAME_TEMPLATE,
            r"v-userpass-a-very-l-[A-Za-z0-9]{20}-1709622489",
            51,  # under PostgreSQL's 63
        ),
        (MYSQL_DEFAULT_USERNAME_TEMPLATE, r"v-userpass-a-a-very-lon-[A-Za-z0-9]{8}", 32),
        (MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE, r"v-a-ve-[A-Za-z0-9]{9}", 16),
    ],
)
def test_default_templates_shape_with_real_randomness(
    template: str, shape: str, length: int
) -> None:
    fields = {"DisplayName": "userpass-alice-with-a-long-name", "RoleName": "a-very-long-role"}
    name = compile_template(template).render(fields, now=NOW)
    assert re.fullmatch(shape, name), name
    assert len(name) == length
