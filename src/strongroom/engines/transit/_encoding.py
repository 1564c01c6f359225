"""Go-compatible base64 parsing and time rendering for the transit engine. Pure.

OpenBao decodes every `plaintext`, `input` and `context` with Go's strict StdEncoding, and
clients match on its error text ("illegal base64 data at input byte N"), so the offset Go
would report is reproduced here. Decoding itself is the standard library's.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime

from strongroom.errors import InvalidRequest

_ALPHABET = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


class Base64Error(ValueError):
    """Go's CorruptInputError: the offset of the first byte it rejects."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"illegal base64 data at input byte {offset}")


def _go_error_offset(raw: bytes) -> int | None:
    """Where Go's StdEncoding.DecodeString stops, or None if it accepts `raw`.
    Go skips CR/LF; decodes quanta of four; '=' may only end the final quantum."""
    chars = [(i, b) for i, b in enumerate(raw) if b not in (0x0A, 0x0D)]
    pos = 0
    while pos < len(chars):
        quantum_start = chars[pos][0]
        j = 0
        while j < 4:
            if pos >= len(chars):
                return quantum_start if j > 0 else None
            index, byte = chars[pos]
            if byte == ord("="):
                if j < 2:
                    return index
                if j == 2:  # "==" expected: Go reports the end, or the byte before the next
                    if pos + 1 >= len(chars):
                        return len(raw)
                    if chars[pos + 1][1] != ord("="):
                        return chars[pos + 1][0] - 1
                    pos += 1
                pos += 1
                return chars[pos][0] if pos < len(chars) else None
            if byte not in _ALPHABET:
                return index
            pos += 1
            j += 1
    return None


def b64decode(text: str) -> bytes:
    """Decode like Go's StdEncoding; Base64Error with Go's offset otherwise."""
    raw = text.encode("utf-8")
    # The common case: whole quanta of the alphabet, "=" only as the last one or two
    # characters, which Go certainly accepts. Python's strict mode refuses everything else
    # but a final quantum of three or four "=" (tests/unit/transit/test_transit_base64.py
    # checks the two agree). Anything refused here (CR/LF, bad padding, stray bytes) takes
    # the byte-by-byte walk that finds Go's error offset.
    if len(raw) % 4 == 0 and not raw.endswith(b"==="):
        try:
            return binascii.a2b_base64(raw, strict_mode=True)
        except binascii.Error:
            pass
    offset = _go_error_offset(raw)
    if offset is not None:
        raise Base64Error(offset)
    try:
        return base64.b64decode(raw.replace(b"\n", b"").replace(b"\r", b""), validate=True)
    except binascii.Error:
        raise Base64Error(0) from None


def b64decode_field(text: str, prefix: str = "") -> bytes:
    """`b64decode`, raising InvalidRequest with an optional message prefix."""
    try:
        return b64decode(text)
    except Base64Error as exc:
        raise InvalidRequest(prefix + str(exc)) from None


def b64encode(data: bytes) -> str:
    """Standard padded base64."""
    return base64.b64encode(data).decode("ascii")


def b64url_nopad(data: bytes) -> str:
    """URL-safe base64 without padding (JWS marshaling)."""
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def b64url_decode(text: str) -> bytes:
    """Inverse of `b64url_nopad`; ValueError when malformed."""
    padded = text + "=" * (-len(text) % 4)
    try:
        return base64.urlsafe_b64decode(padded.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("bad base64url") from None


def rfc3339_nano(ns: int) -> str:
    """Go's time.RFC3339Nano in UTC: fractional seconds with trailing zeros dropped."""
    seconds, frac = divmod(ns, 1_000_000_000)
    stamp = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    fraction = f"{frac:09d}".rstrip("0")
    return f"{stamp}.{fraction}Z" if fraction else f"{stamp}Z"


__all__ = [
    "Base64Error",
    "b64decode",
    "b64decode_field",
    "b64encode",
    "b64url_decode",
    "b64url_nopad",
    "rfc3339_nano",
]
