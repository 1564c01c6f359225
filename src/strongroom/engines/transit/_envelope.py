"""The `vault:v<N>:<base64>` envelope of ciphertexts, signatures and HMACs. Pure.

Parsing errors carry OpenBao's texts; the version is checked against the key's limits here so
every endpoint rejects a too-old or too-new version the same way.
"""

from __future__ import annotations

import base64
import binascii

from strongroom.engines.transit._encoding import b64encode
from strongroom.engines.transit._messages import ERR_TOO_OLD
from strongroom.engines.transit._policy import Policy
from strongroom.errors import InvalidRequest

PREFIX = "vault:"


def wrap(version: int, payload: str | bytes) -> str:
    """`vault:v<version>:<payload>`; bytes are base64-encoded first."""
    text = b64encode(payload) if isinstance(payload, bytes) else payload
    return f"{PREFIX}v{version}:{text}"


def split(value: str, what: str) -> tuple[int, str]:
    """(version, payload text). `what` names the thing in errors ("ciphertext", "signature")."""
    if not value.startswith(PREFIX):
        raise InvalidRequest(f"invalid {what}: no prefix")
    rest = value[len(PREFIX) :]
    version_text, sep, payload = rest.partition(":")
    if not sep or not version_text.startswith("v") or not version_text[1:].isdigit():
        raise InvalidRequest(f"invalid {what}: version number could not be decoded")
    return int(version_text[1:]), payload


def check_version(policy: Policy, version: int, what: str) -> None:
    """Reject versions newer than the latest or older than min_decryption_version."""
    if version > policy.latest_version:
        raise InvalidRequest(f"invalid {what}: version is too new")
    if version < policy.min_decryption_version or policy.version(version) is None:
        raise InvalidRequest(ERR_TOO_OLD)


def decode_payload(payload: str, what: str) -> bytes:
    """The base64 payload of an envelope."""
    try:
        return base64.b64decode(payload.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise InvalidRequest(f"invalid {what}: could not decode base64") from None


__all__ = ["PREFIX", "check_version", "decode_payload", "split", "wrap"]
