"""`PasswordPolicy`: a length and charset rules, and the generator that satisfies them.

Generation follows OpenBao's documented design: draw every character uniformly, with a CSPRNG
(`secrets`), from the de-duplicated union of all rule charsets; keep the candidate only if every
rule holds, else draw a whole new one. Rejecting whole candidates (never patching one) keeps the
result uniform over all passwords that satisfy the policy. OpenBao gives up after one second
(`timed out generating string`); this gives up after a fixed number of candidates, so it needs
no clock. Pure apart from the random source.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from strongroom.errors import InternalError

# vault-compat: the bounds and messages of OpenBao's sys/policies/password and its generator.
MIN_LENGTH = 4
MAX_LENGTH = 100
ERR_LENGTH_BOUNDS = f"passwords must be between {MIN_LENGTH} and {MAX_LENGTH} characters"
ERR_TIMED_OUT = "timed out generating string"

# Candidates drawn per `generate` call before giving up. OpenBao stops after one second; this
# many 100-character candidates from an ASCII charset take about that long here.
MAX_ATTEMPTS = 200_000

RandomBytes = Callable[[int], bytes]


class PasswordGenerationError(InternalError):
    """No candidate satisfied the policy in time; OpenBao answers 500 for this."""

    def __init__(self) -> None:
        super().__init__(ERR_TIMED_OUT)


@dataclass(frozen=True, slots=True)
class CharsetRule:
    """`rule "charset"`: at least `min_chars` characters of the password come from `charset`."""

    charset: str
    min_chars: int = 0
    _members: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_members", frozenset(self.charset))

    def passes(self, password: str) -> bool:
        """Whether `password` has enough characters from this charset."""
        if self.min_chars <= 0:
            return True
        if len(self._members) < len(password):
            found = sum(password.count(char) for char in self._members)
        else:
            found = sum(1 for char in password if char in self._members)
        return found >= self.min_chars


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """A parsed password policy. Build it with `parse_password_policy` (which validates)."""

    length: int
    rules: tuple[CharsetRule, ...]
    charset: str = field(init=False)
    _draw: _Sampler = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        union = "".join(dict.fromkeys(char for rule in self.rules for char in rule.charset))
        if self.length <= 0 or not union:
            # parse_password_policy reports these to users; this guards direct construction.
            raise ValueError("a password policy needs a positive length and a charset")
        object.__setattr__(self, "charset", union)
        object.__setattr__(self, "_draw", _Sampler(union))

    def passes(self, password: str) -> bool:
        """Whether `password` has the policy's length and satisfies every rule."""
        return len(password) == self.length and all(rule.passes(password) for rule in self.rules)

    def candidate(self, rng: RandomBytes = secrets.token_bytes) -> str:
        """One password of the right length drawn uniformly from the charset, unchecked."""
        return self._draw(self.length, rng)

    def try_generate(self, attempts: int, rng: RandomBytes = secrets.token_bytes) -> str | None:
        """A password that satisfies the policy, or None if `attempts` candidates all failed."""
        for _ in range(attempts):
            password = self._draw(self.length, rng)
            if all(rule.passes(password) for rule in self.rules):
                return password
        return None

    def generate(
        self, *, attempts: int = MAX_ATTEMPTS, rng: RandomBytes = secrets.token_bytes
    ) -> str:
        """A password that satisfies the policy; PasswordGenerationError if none was found."""
        password = self.try_generate(attempts, rng)
        if password is None:
            raise PasswordGenerationError()
        return password


class _Sampler:
    """Draws strings of independent, uniformly chosen characters of `charset`.

    Rejection sampling over random bytes: a value at or above the largest multiple of the
    charset's size is dropped, so taking it modulo the size is unbiased. Charsets of code points
    below 256 (the usual case) are mapped with `bytes.translate`, the rest one value at a time.
    """

    __slots__ = ("_charset", "_limit", "_reject", "_table", "_width")

    def __init__(self, charset: str) -> None:
        size = len(charset)
        self._charset = charset
        self._width = max(1, ((size - 1).bit_length() + 7) // 8)
        span = 256**self._width
        self._limit = span - span % size
        self._table: bytes | None = None
        self._reject = b""
        if self._width == 1 and all(ord(char) < 256 for char in charset):
            self._table = bytes(
                ord(charset[b % size]) if b < self._limit else 0 for b in range(256)
            )
            self._reject = bytes(range(self._limit, 256))

    def __call__(self, count: int, rng: RandomBytes) -> str:
        if self._table is None:
            return "".join(self._charset[i] for i in self._indices(count, rng))
        kept = b""
        while len(kept) < count:
            kept += rng(count + count // 2 + 8).translate(None, self._reject)
        return kept[:count].translate(self._table).decode("latin-1")

    def _indices(self, count: int, rng: RandomBytes) -> list[int]:
        size, width = len(self._charset), self._width
        out: list[int] = []
        while len(out) < count:
            chunk = rng(width * (count - len(out) + 8))
            for start in range(0, len(chunk) - width + 1, width):
                value = int.from_bytes(chunk[start : start + width], "big")
                if value < self._limit:
                    out.append(value % size)
        return out[:count]


# vault-compat: the password OpenBao's database engine makes when no policy is named: 20
# characters with at least one upper-case letter, lower-case letter, digit and dash.
DEFAULT_POLICY_TEXT = """\
length = 20

rule "charset" {
  charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
  min-chars = 1
}

rule "charset" {
  charset = "abcdefghijklmnopqrstuvwxyz"
  min-chars = 1
}

rule "charset" {
  charset = "0123456789"
  min-chars = 1
}

rule "charset" {
  charset = "-"
  min-chars = 1
}
"""

DEFAULT_PASSWORD_POLICY = PasswordPolicy(
    length=20,
    rules=(
        CharsetRule("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1),
        CharsetRule("abcdefghijklmnopqrstuvwxyz", 1),
        CharsetRule("0123456789", 1),
        CharsetRule("-", 1),
    ),
)


def generate_default() -> str:
    """A password from OpenBao's default policy (see DEFAULT_POLICY_TEXT)."""
    return DEFAULT_PASSWORD_POLICY.generate()


__all__ = [
    "DEFAULT_PASSWORD_POLICY",
    "DEFAULT_POLICY_TEXT",
    "ERR_LENGTH_BOUNDS",
    "ERR_TIMED_OUT",
    "MAX_ATTEMPTS",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "CharsetRule",
    "PasswordGenerationError",
    "PasswordPolicy",
    "RandomBytes",
    "generate_default",
]
