"""Properties of password policies (hypothesis): any valid policy, written as HCL or JSON,
parses to the same policy, and every password generated from it satisfies it.

Charsets come from a small alphabet so that rules overlap often, and each rule's min-chars is
kept at or below half of what a uniform draw gives it on average, so that generation succeeds
quickly; the checks below recount the password independently of the generator's own check.
"""

from __future__ import annotations

import json

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from strongroom.policy.password import PasswordPolicy, parse_password_policy

ALPHABET = "abcdefXYZ0189-_!é日 "


@st.composite
def policy_specs(draw: st.DrawFn) -> tuple[int, list[tuple[str, int]]]:
    """(length, [(charset as written, min-chars)]) of a valid, quickly satisfiable policy."""
    length = draw(st.integers(min_value=4, max_value=100))
    charsets = draw(
        st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=8), min_size=1, max_size=4)
    )
    union = set("".join(charsets))
    rules: list[tuple[str, int]] = []
    for charset in charsets:
        expected = length * len(set(charset)) / len(union)
        rules.append((charset, draw(st.integers(min_value=-2, max_value=int(expected / 2)))))
    assume(sum(min_chars for _, min_chars in rules) <= length)
    return length, rules


def as_hcl(length: int, rules: list[tuple[str, int]]) -> str:
    blocks = "".join(
        f'rule "charset" {{\n  charset = {json.dumps(c, ensure_ascii=False)}\n'
        f"  min-chars = {m}\n}}\n"
        for c, m in rules
    )
    return f"length = {length}\n{blocks}"


def as_json(length: int, rules: list[tuple[str, int]]) -> str:
    document = {
        "length": length,
        "rule": [{"charset": {"charset": c, "min-chars": m}} for c, m in rules],
    }
    return json.dumps(document)


def satisfies(password: str, length: int, rules: list[tuple[str, int]]) -> bool:
    union = set("".join(c for c, _ in rules))
    return (
        len(password) == length
        and set(password) <= union
        and all(sum(ch in set(c) for ch in password) >= m for c, m in rules)
    )


@settings(max_examples=150, deadline=None)
@given(policy_specs())
def test_every_generated_password_satisfies_its_policy(
    spec: tuple[int, list[tuple[str, int]]],
) -> None:
    length, rules = spec
    policy = parse_password_policy(as_hcl(length, rules))
    for _ in range(5):
        assert satisfies(policy.generate(), length, rules)


@settings(max_examples=100, deadline=None)
@given(policy_specs())
def test_hcl_and_json_parse_to_the_same_policy(spec: tuple[int, list[tuple[str, int]]]) -> None:
    length, rules = spec
    from_hcl = parse_password_policy(as_hcl(length, rules))
    assert from_hcl == parse_password_policy(as_json(length, rules))
    assert (from_hcl.length, [(r.charset, r.min_chars) for r in from_hcl.rules]) == (length, rules)
    assert from_hcl.charset == "".join(dict.fromkeys("".join(c for c, _ in rules)))


@settings(max_examples=100, deadline=None)
@given(policy_specs(), st.text(alphabet=ALPHABET, max_size=100))
def test_passes_agrees_with_an_independent_check(
    spec: tuple[int, list[tuple[str, int]]], password: str
) -> None:
    length, rules = spec
    policy: PasswordPolicy = parse_password_policy(as_hcl(length, rules))
    assert policy.passes(password) == (
        len(password) == length and all(sum(ch in set(c) for ch in password) >= m for c, m in rules)
    )
