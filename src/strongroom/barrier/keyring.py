"""The barrier keyring: the root key, every data-encryption key by term, and rotation policy.

Pure and synchronous. A `Keyring` is immutable; every change returns a new one
(copy-on-write), so a reader holding the old keyring never sees a half-applied rotation.
This module owns the keyring's serialized JSON form; it must not encrypt it or store it
(the barrier does both).

Serialized form (UTF-8 JSON, our own storage format, not Vault's):
    {"version": 1, "root_key": b64, "active_term": n,
     "keys": [{"term": n, "value": b64, "install_time": "2026-11-27T03:55:17.447134Z"}],
     "rotation_config": {"enabled": true, "interval": 0, "max_operations": 3865470566}}
`install_time` is written with microseconds; reading accepts 0 to 9 fractional digits.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType

from strongroom.types import JSON

KEY_SIZE = 32
FORMAT_VERSION = 1
# OpenBao's defaults as served on sys/rotate/config.
DEFAULT_MAX_OPERATIONS = 3_865_470_566
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
_MAX_EPOCH = 253_402_300_799.0  # 9999-12-31T23:59:59Z, the last second datetime can format


@dataclass(frozen=True, slots=True)
class Key:
    """One data-encryption key of the barrier, identified by its term (1, 2, ...)."""

    term: int
    value: bytes = field(repr=False)
    install_time: float

    def __post_init__(self) -> None:
        if isinstance(self.term, bool) or not isinstance(self.term, int) or self.term < 1:
            raise ValueError("key term must be a positive integer")
        if self.term > 2**32 - 1:
            raise ValueError("key term must fit in 32 bits")
        if not isinstance(self.value, bytes) or len(self.value) != KEY_SIZE:
            raise ValueError(f"key value must be {KEY_SIZE} bytes")
        if not (0 <= self.install_time < _MAX_EPOCH):  # also rejects NaN
            raise ValueError("key install_time must be an epoch time between 1970 and 9999")


@dataclass(frozen=True, slots=True)
class RotationConfig:
    """When the barrier should rotate its active key on its own (sys/rotate/config).

    `interval` is in seconds; 0 turns time-based rotation off. Range limits that the HTTP
    endpoint enforces belong to that endpoint; this only rejects nonsense.
    """

    max_operations: int = DEFAULT_MAX_OPERATIONS
    interval: int = 0
    enabled: bool = True

    def __post_init__(self) -> None:
        if not _is_int(self.max_operations) or self.max_operations < 1:
            raise ValueError("max_operations must be a positive integer")
        if not _is_int(self.interval) or self.interval < 0:
            raise ValueError("interval must be a non-negative integer number of seconds")
        if not isinstance(self.enabled, bool):
            raise ValueError("enabled must be a boolean")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class Keyring:
    """Root key plus data keys by term; `active_term` is the key new writes use (0 = none)."""

    root_key: bytes = field(repr=False)
    keys: Mapping[int, Key] = field(default_factory=dict)
    active_term: int = 0
    rotation_config: RotationConfig = field(default_factory=RotationConfig)

    def __post_init__(self) -> None:
        if not isinstance(self.root_key, bytes) or len(self.root_key) != KEY_SIZE:
            raise ValueError(f"root key must be {KEY_SIZE} bytes")
        frozen = MappingProxyType(dict(self.keys))
        for term, key in frozen.items():
            if not isinstance(key, Key) or key.term != term:
                raise ValueError(f"keyring entry for term {term} holds a different term")
        if frozen and self.active_term not in frozen:
            raise ValueError(f"active term {self.active_term} is not in the keyring")
        if not frozen and self.active_term != 0:
            raise ValueError("an empty keyring has active term 0")
        object.__setattr__(self, "keys", frozen)

    def add_key(self, key: Key) -> Keyring:
        """A keyring with `key` added; it becomes active if its term is the newest.

        Re-adding an identical key is a no-op; a different key for an existing term is a
        ValueError (a term names exactly one key forever).
        """
        existing = self.keys.get(key.term)
        if existing is not None:
            if existing != key:
                raise ValueError(f"keyring already has a different key for term {key.term}")
            return self
        keys = dict(self.keys)
        keys[key.term] = key
        return Keyring(
            root_key=self.root_key,
            keys=keys,
            active_term=max(self.active_term, key.term),
            rotation_config=self.rotation_config,
        )

    def with_rotation_config(self, config: RotationConfig) -> Keyring:
        """A keyring with a new rotation policy."""
        return Keyring(self.root_key, self.keys, self.active_term, config)

    def with_root_key(self, root_key: bytes) -> Keyring:
        """A keyring protected by a new root key (sys/rotate/root)."""
        return Keyring(root_key, self.keys, self.active_term, self.rotation_config)

    def active_key(self) -> Key:
        """The key new writes are encrypted with (ValueError on an empty keyring)."""
        key = self.keys.get(self.active_term)
        if key is None:
            raise ValueError("keyring has no active key")
        return key

    def term(self, term: int) -> Key | None:
        """The key for `term`, or None if this keyring never had it."""
        return self.keys.get(term)

    def max_term(self) -> int:
        """The highest term in the keyring (0 when empty)."""
        return max(self.keys, default=0)

    def serialize(self) -> bytes:
        """UTF-8 JSON; contains the root key and every data key in the clear: encrypt it."""
        document = {
            "version": FORMAT_VERSION,
            "root_key": _b64(self.root_key),
            "active_term": self.active_term,
            "keys": [
                {
                    "term": key.term,
                    "value": _b64(key.value),
                    "install_time": format_time(key.install_time),
                }
                for key in sorted(self.keys.values(), key=lambda k: k.term)
            ],
            "rotation_config": {
                "enabled": self.rotation_config.enabled,
                "interval": self.rotation_config.interval,
                "max_operations": self.rotation_config.max_operations,
            },
        }
        return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()

    @classmethod
    def deserialize(cls, data: bytes) -> Keyring:
        """Parse `serialize` output; any malformed input is a ValueError."""
        try:
            document = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError("keyring is not valid JSON") from exc
        doc = _obj(document, "keyring")
        if doc.get("version") != FORMAT_VERSION:
            raise ValueError("unsupported keyring format version")
        keys: dict[int, Key] = {}
        for item in _list(doc.get("keys"), "keys"):
            entry = _obj(item, "key")
            key = Key(
                term=_int(entry.get("term"), "term"),
                value=_unb64(entry.get("value"), "value"),
                install_time=parse_time(_str(entry.get("install_time"), "install_time")),
            )
            if key.term in keys:
                raise ValueError(f"duplicate key term {key.term}")
            keys[key.term] = key
        rotation = _obj(doc.get("rotation_config"), "rotation_config")
        return cls(
            root_key=_unb64(doc.get("root_key"), "root_key"),
            keys=keys,
            active_term=_int(doc.get("active_term"), "active_term"),
            rotation_config=RotationConfig(
                max_operations=_int(rotation.get("max_operations"), "max_operations"),
                interval=_int(rotation.get("interval"), "interval"),
                enabled=_bool(rotation.get("enabled"), "enabled"),
            ),
        )


def format_time(epoch: float) -> str:
    """Epoch seconds as ISO 8601 UTC with microseconds and a `Z` suffix."""
    return datetime.fromtimestamp(epoch, UTC).strftime(_TIME_FORMAT + ".%fZ")


def parse_time(text: str) -> float:
    """Inverse of `format_time`; accepts 0 to 9 fractional digits (Go writes nanoseconds)."""
    if not text.endswith("Z"):
        raise ValueError(f"time {text!r} is not UTC (no trailing Z)")
    whole, _, fraction = text[:-1].partition(".")
    if fraction and (len(fraction) > 9 or not (fraction.isascii() and fraction.isdigit())):
        raise ValueError(f"time {text!r} has an invalid fraction")
    seconds = datetime.strptime(whole, _TIME_FORMAT).replace(tzinfo=UTC).timestamp()
    return seconds + (int(fraction) / 10 ** len(fraction) if fraction else 0.0)


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _unb64(value: JSON, name: str) -> bytes:
    try:
        return base64.b64decode(_str(value, name), validate=True)
    except binascii.Error as exc:
        raise ValueError(f"keyring field {name!r} is not valid base64") from exc


def _obj(value: JSON, name: str) -> dict[str, JSON]:
    if not isinstance(value, dict):
        raise ValueError(f"keyring field {name!r} must be an object")
    return value


def _list(value: JSON, name: str) -> list[JSON]:
    if not isinstance(value, list):
        raise ValueError(f"keyring field {name!r} must be a list")
    return value


def _str(value: JSON, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"keyring field {name!r} must be a string")
    return value


def _int(value: JSON, name: str) -> int:
    if not _is_int(value):
        raise ValueError(f"keyring field {name!r} must be an integer")
    result: int = value
    return result


def _bool(value: JSON, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"keyring field {name!r} must be a boolean")
    return value


__all__ = [
    "DEFAULT_MAX_OPERATIONS",
    "Key",
    "Keyring",
    "RotationConfig",
    "format_time",
    "parse_time",
]
