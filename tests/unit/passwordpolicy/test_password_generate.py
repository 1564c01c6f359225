"""Password generation: length, charsets, min-chars, uniformity, and the default generator."""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterator

import pytest

from strongroom.policy.password import (
    DEFAULT_PASSWORD_POLICY,
    ERR_TIMED_OUT,
    CharsetRule,
    PasswordGenerationError,
    PasswordPolicy,
    RandomBytes,
    generate_default,
    parse_password_policy,
)

DRAWS = 300


def scripted(*chunks: bytes) -> Iterator[bytes]:
    yield from chunks


def fake_rng(*chunks: bytes) -> RandomBytes:
    """An rng that hands out `chunks` in order, whatever size is asked for."""
    source = scripted(*chunks)
    return lambda size: next(source)


def test_generated_passwords_satisfy_the_policy() -> None:
    policy = parse_password_policy(
        'length = 12\nrule "charset" {\n charset = "abcdefghijklmnopqrstuvwxyz"\n min-chars = 2\n}'
        '\nrule "charset" {\n charset = "0123456789"\n min-chars = 3\n}'
        '\nrule "charset" {\n charset = "!@#"\n min-chars = 1\n}'
    )
    for _ in range(DRAWS):  # about one candidate in three passes all three rules
        password = policy.generate()
        assert len(password) == 12
        assert set(password) <= set(policy.charset)
        assert sum(c.islower() for c in password) >= 2
        assert sum(c.isdigit() for c in password) >= 3
        assert sum(c in "!@#" for c in password) >= 1
        assert policy.passes(password)


def test_overlapping_rules_draw_from_the_deduplicated_union() -> None:
    policy = parse_password_policy(
        'length = 6\nrule "charset" {\n charset = "aab"\n min-chars = 3\n}'
        '\nrule "charset" {\n charset = "bc"\n min-chars = 1\n}'
    )
    assert policy.charset == "abc"
    for _ in range(DRAWS):
        password = policy.generate()
        assert sum(c in "ab" for c in password) >= 3 and sum(c in "bc" for c in password) >= 1


def test_characters_are_drawn_uniformly() -> None:
    policy = PasswordPolicy(length=100, rules=(CharsetRule("abcdefg"),))
    counts = Counter("".join(policy.generate() for _ in range(200)))
    expected = 200 * 100 / 7
    assert set(counts) == set("abcdefg")
    # 20000 draws: each count is within ~4.6 standard deviations (sd ~ 35) of the mean.
    assert all(abs(n - expected) < 160 for n in counts.values()), counts


def test_min_chars_are_not_forced_into_place() -> None:
    # Rejection keeps positions unbiased: the required digit is not always in one place.
    policy = parse_password_policy(
        'length = 4\nrule "charset" {\n charset = "ab"\n}\nrule "charset" {\n charset = "1"\n'
        " min-chars = 1\n}"
    )
    positions = Counter(policy.generate().index("1") for _ in range(DRAWS))
    assert set(positions) == {0, 1, 2, 3}


def test_unicode_charsets_small_and_large() -> None:
    small = PasswordPolicy(length=30, rules=(CharsetRule("日本語é", 2),))
    large_set = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 300))  # needs two bytes a draw
    large = PasswordPolicy(length=30, rules=(CharsetRule(large_set, 5),))
    for policy in (small, large):
        for _ in range(50):
            password = policy.generate()
            assert len(password) == 30 and set(password) <= set(policy.charset)


def test_bytes_past_the_last_whole_multiple_are_rejected() -> None:
    # 3 characters: bytes >= 255 (the largest multiple of 3 within 256) would bias "a".
    policy = PasswordPolicy(length=4, rules=(CharsetRule("abc"),))
    rng = fake_rng(bytes([255, 0, 1, 255, 2]), bytes([254, 3]))
    assert policy.candidate(rng) == "abcc"


def test_two_byte_draws_reject_past_the_limit() -> None:
    charset = "".join(chr(0x4E00 + i) for i in range(300))  # 65536 % 300 == 136
    policy = PasswordPolicy(length=2, rules=(CharsetRule(charset),))
    high = (65536 - 136).to_bytes(2, "big")  # first rejected value
    rng = fake_rng(high + (301).to_bytes(2, "big") + (2).to_bytes(2, "big"))
    assert policy.candidate(rng) == charset[1] + charset[2]


def test_impossible_policy_gives_up() -> None:
    # Satisfiable, but only by 20 "a"s out of 62 characters: never in a few thousand tries.
    policy = parse_password_policy(
        'length = 20\nrule "charset" {\n charset = "a"\n min-chars = 20\n}\n'
        'rule "charset" {\n charset = "bcdefghijklmnopqrstuvwxyz'
        'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"\n}'
    )
    assert policy.try_generate(100) is None
    with pytest.raises(PasswordGenerationError) as caught:
        policy.generate(attempts=100)
    assert caught.value.status == 500 and str(caught.value) == ERR_TIMED_OUT


def test_negative_and_zero_min_chars_always_pass() -> None:
    policy = PasswordPolicy(length=5, rules=(CharsetRule("ab", -3), CharsetRule("c", 0)))
    assert all(rule.passes("aaaaa") for rule in policy.rules)


def test_passes_checks_length_and_every_rule() -> None:
    policy = PasswordPolicy(length=4, rules=(CharsetRule("ab", 2), CharsetRule("xyz", 1)))
    assert policy.passes("abxa")
    assert not policy.passes("abx")  # too short
    assert not policy.passes("axyz")  # one from "ab"
    assert not policy.passes("abab")  # none from "xyz"


def test_default_generator_shape() -> None:
    assert DEFAULT_PASSWORD_POLICY.length == 20
    assert DEFAULT_PASSWORD_POLICY.charset == string.ascii_uppercase + string.ascii_lowercase + (
        string.digits + "-"
    )
    allowed = set(string.ascii_letters + string.digits + "-")
    seen: set[str] = set()
    for _ in range(DRAWS):
        password = generate_default()
        assert len(password) == 20 and set(password) <= allowed
        assert any(c.isupper() for c in password) and any(c.islower() for c in password)
        assert any(c.isdigit() for c in password) and "-" in password
        seen.add(password)
    assert len(seen) == DRAWS
