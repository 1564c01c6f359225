"""Vault's username-template functions (sdk/helper/template funcs.go), as pure Python.

Owns each function's signature (parameter types, for compile-time checks) and behaviour:
printf, random, truncate, truncate_sha256, uppercase, lowercase, replace, sha256, base64,
decode_base64, hex, decode_hex, unix_time, unix_time_millis, timestamp and uuid. Time and
randomness come from the render `Context`; this module never reads the clock or the OS RNG.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from strongroom.framework._gofmt import Value, go_type, sprintf
from strongroom.framework._gotime import format_time

# vault-compat: go-secure-stdlib base62's charset and its bias-free cut-off (4 * 62).
_BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_BASE62_LIMIT = 4 * len(_BASE62)
_SHA256_PREFIX = 8
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
STRING, INT, MAP = "string", "int", "map[string]string"


class CallError(Exception):
    """A function refused its arguments; rendered as Go's `error calling <name>: ...`."""


@dataclass(frozen=True, slots=True)
class Context:
    fields: Mapping[str, str]
    now: datetime
    entropy: Callable[[int], bytes]


@dataclass(frozen=True, slots=True)
class Function:
    name: str
    params: tuple[str, ...]
    impl: Callable[[Context, Sequence[Value]], str]
    variadic: bool = False


def _str(value: Value) -> str:
    if not isinstance(value, str):  # unreachable: compile_template checks argument types
        raise CallError(f"expected string; got {go_type(value)}")
    return value


def _int(value: Value) -> int:
    if not isinstance(value, int):  # unreachable: compile_template checks argument types
        raise CallError(f"expected int; got {go_type(value)}")
    return value


def _bytes(value: Value) -> bytes:
    return _str(value).encode()


def _cut(text: str, limit: int) -> str:
    """The longest prefix of `text` that fits in `limit` UTF-8 bytes."""
    return text.encode()[:limit].decode(errors="ignore")


def _random(ctx: Context, length: int) -> str:
    if length < 0:
        raise CallError(f"length must be >= 0 but was {length}")
    chars: list[str] = []
    while len(chars) < length:
        for byte in ctx.entropy(length + length // 4):
            if byte < _BASE62_LIMIT and len(chars) < length:
                chars.append(_BASE62[byte % len(_BASE62)])
    return "".join(chars)


def _truncate(limit: int, text: str) -> str:
    if limit <= 0:
        raise CallError(f"max length must be > 0 but was {limit}")
    return _cut(text, limit)


def _truncate_sha256(limit: int, text: str) -> str:
    # vault-compat: funcs.go truncateSHA256 hashes the characters it cuts off, not the whole.
    if limit <= _SHA256_PREFIX:
        raise CallError(f"max length must be > {_SHA256_PREFIX} but was {limit}")
    if len(text.encode()) <= limit:
        return text
    head = _cut(text, limit - _SHA256_PREFIX)
    tail = text[len(head) :].encode()
    return head + hashlib.sha256(tail).hexdigest()[:_SHA256_PREFIX]


def _same_length_case(text: str, upper: bool) -> str:
    mapped = (c.upper() if upper else c.lower() for c in text)
    return "".join(m if len(m) == 1 else c for c, m in zip(text, mapped, strict=True))


def _decode_base64(text: str) -> str:
    # Go's StdEncoding skips CR and LF and otherwise insists on padded standard base64.
    try:
        raw = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
    except binascii.Error as exc:
        raise CallError(f"illegal base64 data: {exc}") from None
    return _utf8(raw)


def _decode_hex(text: str) -> str:
    try:
        return _utf8(binascii.unhexlify(text))
    except (binascii.Error, ValueError) as exc:
        raise CallError(f"invalid hex data: {exc}") from None


def _utf8(raw: bytes) -> str:
    try:
        return raw.decode()
    except UnicodeDecodeError:
        raise CallError("decoded value is not valid UTF-8") from None


def _unix_millis(now: datetime) -> str:
    micros = (now - _EPOCH) // timedelta(microseconds=1)
    millis = abs(micros) // 1000  # Go's UnixNano()/1e6 truncates toward zero
    return str(millis if micros >= 0 else -millis)


def _uuid(ctx: Context) -> str:
    # vault-compat: hashicorp/go-uuid GenerateUUID formats 16 random bytes, no version bits.
    raw = ctx.entropy(16).hex()
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function("printf", (STRING,), lambda c, a: sprintf(_str(a[0]), a[1:]), variadic=True),
        Function("random", (INT,), lambda c, a: _random(c, _int(a[0]))),
        Function("truncate", (INT, STRING), lambda c, a: _truncate(_int(a[0]), _str(a[1]))),
        Function(
            "truncate_sha256",
            (INT, STRING),
            lambda c, a: _truncate_sha256(_int(a[0]), _str(a[1])),
        ),
        Function("uppercase", (STRING,), lambda c, a: _same_length_case(_str(a[0]), True)),
        Function("lowercase", (STRING,), lambda c, a: _same_length_case(_str(a[0]), False)),
        Function(
            "replace",
            (STRING, STRING, STRING),
            lambda c, a: _str(a[2]).replace(_str(a[0]), _str(a[1])),
        ),
        Function("sha256", (STRING,), lambda c, a: hashlib.sha256(_bytes(a[0])).hexdigest()),
        Function("base64", (STRING,), lambda c, a: base64.b64encode(_bytes(a[0])).decode()),
        Function("decode_base64", (STRING,), lambda c, a: _decode_base64(_str(a[0]))),
        Function("hex", (STRING,), lambda c, a: _bytes(a[0]).hex()),
        Function("decode_hex", (STRING,), lambda c, a: _decode_hex(_str(a[0]))),
        Function("unix_time", (), lambda c, a: str((c.now - _EPOCH) // timedelta(seconds=1))),
        Function("unix_time_millis", (), lambda c, a: _unix_millis(c.now)),
        Function("timestamp", (STRING,), lambda c, a: format_time(_str(a[0]), c.now)),
        Function("uuid", (), lambda c, a: _uuid(c)),
    )
}

__all__ = ["FUNCTIONS", "INT", "MAP", "STRING", "CallError", "Context", "Function"]
