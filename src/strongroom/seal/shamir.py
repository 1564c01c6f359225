"""Shamir secret sharing over GF(2^8): split a secret into shares and combine them back.

Pure and synchronous: no I/O, no clock; randomness comes in through `rng`. This module owns
only the arithmetic and the share byte format. It must not know about seal configuration,
the barrier or HTTP; the seal layer maps the `ValueError`s raised here to `InvalidRequest`.

Share format (the one Vault's `shamir` package uses): a share is `len(secret) + 1` bytes,
the y values of every secret byte's polynomial followed by one byte, the x coordinate. The
x coordinates are distinct and non-zero (x = 0 would be the secret itself).

Field: GF(2^8) with the AES reduction polynomial x^8 + x^4 + x^3 + x + 1 (0x11b) and the
generator 0x03; multiplication uses log/exp tables.

Timing: CPython offers no constant-time guarantee, and multiplying by a field element is a
table lookup (`bytes.translate`) indexed by secret bytes, so cache timing is not hidden. What
we do avoid is control flow that depends on secret bytes: the polynomial evaluation and the
interpolation run the same steps for every secret value; only public data (share count,
x coordinates, lengths) steers branches. Unsealing is an operator action, not a hot path an
attacker can time at will.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

_FIELD_SIZE = 256
_ORDER = 255  # multiplicative group order
_POLY = 0x11B
_GENERATOR = 0x03
_MAX_PARTS = 255


def _build_tables() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """exp[i] = g^i for i in 0..509 (doubled: exp[log a + log b] needs no modulo), log[g^i] = i."""
    exp = [0] * (2 * _ORDER)
    log = [0] * _FIELD_SIZE
    value = 1
    for i in range(_ORDER):
        exp[i] = value
        log[value] = i
        # value *= 3, i.e. value ^ (value * 2), reducing by the AES polynomial.
        doubled = value << 1
        if doubled & 0x100:
            doubled ^= _POLY
        value ^= doubled
    for i in range(_ORDER, 2 * _ORDER):
        exp[i] = exp[i - _ORDER]
    return tuple(exp), tuple(log)


_EXP, _LOG = _build_tables()


def _mul(a: int, b: int) -> int:
    """Product in GF(2^8)."""
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def _inv(a: int) -> int:
    """Multiplicative inverse of a non-zero element."""
    return _EXP[_ORDER - _LOG[a]]


def _mul_row(scalar: int) -> bytes:
    """A 256-byte translation table: byte v maps to v * scalar."""
    return bytes(_mul(v, scalar) for v in range(_FIELD_SIZE))


def _xor(a: bytes, b: bytes) -> bytes:
    """Bytewise XOR (addition in GF(2^8)) of two equal-length strings."""
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(len(a), "big")


def _draw(rng: Callable[[int], bytes], n: int) -> bytes:
    out = rng(n)
    if len(out) != n:
        raise ValueError(f"rng returned {len(out)} bytes, expected {n}")
    return out


def _pick_x_coordinates(parts: int, rng: Callable[[int], bytes]) -> list[int]:
    """`parts` distinct values from 1..255 in random order (partial Fisher-Yates).

    The x coordinates are public, so the tiny modulo bias of 4-byte draws is harmless, and
    it keeps the draw count fixed (no rejection loop that a broken rng could spin forever).
    """
    pool = list(range(1, _MAX_PARTS + 1))
    draws = _draw(rng, 4 * parts)
    for i in range(parts):
        j = i + int.from_bytes(draws[4 * i : 4 * i + 4], "big") % (len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:parts]


def split(
    secret: bytes,
    parts: int,
    threshold: int,
    *,
    rng: Callable[[int], bytes] = os.urandom,
) -> list[bytes]:
    """Split `secret` into `parts` shares, any `threshold` of which recover it.

    Each secret byte is the constant term of its own random polynomial of degree
    `threshold - 1`; share i holds every polynomial evaluated at x_i, followed by x_i.
    `threshold == 1` is allowed: every share then carries the secret in the clear (the seal
    layer decides whether to offer that, as Vault does for a single key share).

    Raises ValueError on parts outside 1..255, threshold outside 1..parts, or an empty
    secret.
    """
    if parts < 1 or parts > _MAX_PARTS:
        raise ValueError(f"parts must be between 1 and {_MAX_PARTS}, got {parts}")
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1, got {threshold}")
    if threshold > parts:
        raise ValueError(f"threshold ({threshold}) cannot exceed parts ({parts})")
    if not secret:
        raise ValueError("cannot split an empty secret")

    size = len(secret)
    # coefficients[k] holds the degree-k coefficient of every byte's polynomial.
    random_coefficients = _draw(rng, size * (threshold - 1))
    coefficients = [bytes(secret)] + [
        random_coefficients[k * size : (k + 1) * size] for k in range(threshold - 1)
    ]
    shares: list[bytes] = []
    for x in _pick_x_coordinates(parts, rng):
        row = _mul_row(x)
        # Horner: acc = (...(c_{t-1} * x + c_{t-2}) * x + ...) * x + c_0, all bytes at once.
        acc = coefficients[-1]
        for coefficient in reversed(coefficients[:-1]):
            acc = _xor(acc.translate(row), coefficient)
        shares.append(acc + bytes((x,)))
    return shares


def _validate_shares(shares: Sequence[bytes]) -> None:
    if not shares:
        raise ValueError("at least one share is required")
    length = len(shares[0])
    if length < 2:
        raise ValueError("shares must be at least 2 bytes long")
    seen: set[int] = set()
    for share in shares:
        if len(share) != length:
            raise ValueError("all shares must be the same length")
        x = share[-1]
        if x == 0:
            raise ValueError("share has an invalid x coordinate of 0")
        if x in seen:
            raise ValueError("duplicate share detected")
        seen.add(x)


def combine(shares: Sequence[bytes]) -> bytes:
    """Recover the secret from shares made by `split` (in any order).

    Lagrange interpolation at x = 0. The caller is responsible for supplying at least the
    threshold: with fewer shares this returns an unrelated value rather than an error, since
    shares do not record the threshold. A single share is accepted and yields its y values,
    which is exactly the secret for threshold 1 (degree-0 interpolation).

    Raises ValueError on no shares, shares shorter than 2 bytes, unequal lengths, a zero
    x coordinate or duplicate x coordinates.
    """
    _validate_shares(shares)
    xs = [share[-1] for share in shares]
    secret = bytes(len(shares[0]) - 1)
    for i, share in enumerate(shares):
        # L_i(0) = prod_{j != i} x_j / (x_j - x_i); subtraction is XOR in GF(2^8).
        basis = 1
        for j, x_j in enumerate(xs):
            if j != i:
                basis = _mul(basis, _mul(x_j, _inv(x_j ^ xs[i])))
        secret = _xor(secret, share[:-1].translate(_mul_row(basis)))
    return secret


__all__ = ["combine", "split"]
