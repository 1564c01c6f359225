"""How an audit record writes values: the HMAC (each distinct string of a record hashed
once), Go's `omitempty`, the walk over request and response data, and the "plain" check
that lets the devices serialize a record with orjson. Pure.

A value is plain when it holds only str, int, bool, None, lists, tuples and dicts with str
keys: orjson writes those exactly as `json.dumps` does. Anything else (floats above all)
makes the record take the stdlib path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from strongroom.types import JSON, JSONDict

Hasher = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class FormatOptions:
    """The formatting options of one device (Vault's audit device options)."""

    hmac_accessor: bool = True
    elide_list_responses: bool = False


NO_SKIP: frozenset[str] = frozenset()
SCALARS = frozenset({str, int, bool, type(None)})


def is_plain(value: JSON) -> bool:
    """Whether `value` holds only str, int, bool, None, dict (with str keys), list and tuple,
    the values orjson writes byte-for-byte as `json.dumps` does (or refuses: huge ints)."""
    kind = type(value)
    if kind in SCALARS:
        return True
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or (type(item) not in SCALARS and not is_plain(item)):
                return False
        return True
    if kind is list or kind is tuple:
        for item in value:
            if type(item) not in SCALARS and not is_plain(item):
                return False
        return True
    return False


EMPTY: tuple[object, ...] = (None, "", 0, [], {})
# Sections a formatter built and checked itself (`data` by `walk`, the nested records by
# `compact`), or a constant: `compact` does not look into them again.
CHECKED = frozenset({"data", "auth", "wrap_info", "namespace"})


def omit_empty(body: JSONDict) -> JSONDict:
    # `v or` first: a truthy value is never one of the empty ones, so most values skip the
    # five comparisons.
    return {k: v for k, v in body.items() if v or v is False or v not in EMPTY}


def _unhashed(value: str) -> str:
    return value


class Values:
    """The value handling of one record: the hashing choices, a memo of the HMACs made so
    far (a record repeats the client token and its accessor) and `plain`, whether every
    value written is of a type the fast serializer spells exactly as `json` does (see
    `is_plain`)."""

    __slots__ = ("_digest", "hasher", "memo", "options", "plain")

    def __init__(self, hasher: Hasher | None, options: FormatOptions) -> None:
        self.hasher = hasher
        self._digest: Hasher = hasher if hasher is not None else _unhashed
        self.options = options
        self.memo: dict[str, str] = {}
        self.plain = True

    def hash(self, value: str) -> str:
        """The HMAC of `value` (each distinct string of the record is hashed once)."""
        hashed = self.memo.get(value)
        if hashed is None:
            hashed = self.memo[value] = self._digest(value)
        return hashed

    def keep(self, value: JSON) -> JSON:
        """`value` written as it is (noting whether it is plain)."""
        if self.plain and type(value) not in SCALARS and not is_plain(value):
            self.plain = False
        return value

    def compact(self, body: JSONDict) -> JSONDict:
        """`body` without its empty values (Go's `omitempty`), noting whether the rest is
        plain. One pass here is cheaper than a check per field as the body is built."""
        out = omit_empty(body)
        if self.plain:
            for key, value in out.items():
                if type(value) not in SCALARS and key not in CHECKED and not is_plain(value):
                    self.plain = False
                    break
        return out

    def accessor(self, value: str) -> str:
        if value and self.options.hmac_accessor and self.hasher is not None:
            return self.hash(value)
        return value

    def secret(self, value: str) -> str:
        if value and self.hasher is not None:
            return self.hash(value)
        return value

    def walk(self, value: JSON, hashing: bool, skip: frozenset[str]) -> JSON:
        """`hash_structure`: strings hashed when `hashing`, values under keys in `skip` kept,
        mappings become dicts with str keys and tuples lists. Exact dicts, lists and
        scalars take the first tests; anything else gets the generic ones (and is not
        plain)."""
        kind = type(value)
        if kind is str:
            return self.hash(value) if hashing else value
        if kind is dict:
            return self._mapping(value, hashing, skip)
        if kind is list or kind is tuple:
            return self._items(value, hashing, skip)
        if kind is int or kind is bool or value is None:
            return value
        self.plain = False
        if isinstance(value, str):
            return self.hash(value) if hashing else value
        if isinstance(value, Mapping):
            return self._mapping(value, hashing, skip)
        if isinstance(value, list | tuple):
            return self._items(value, hashing, skip)
        return value

    def _mapping(self, value: Mapping[object, JSON], hashing: bool, skip: frozenset[str]) -> JSON:
        """`walk` of a mapping: keys as str, string values hashed here (most values are)."""
        out: JSONDict = {}
        memo = self.memo
        for key, item in value.items():
            name = key if type(key) is str else str(key)
            kind = type(item)
            if skip and key in skip:
                out[name] = self.walk(item, False, NO_SKIP)
            elif kind is str:
                if hashing:
                    hashed = memo.get(item)
                    if hashed is None:
                        hashed = memo[item] = self._digest(item)
                    out[name] = hashed
                else:
                    out[name] = item
            elif kind is int or kind is bool or item is None:
                out[name] = item
            elif kind is dict:
                out[name] = self._mapping(item, hashing, skip)
            else:
                out[name] = self.walk(item, hashing, skip)
        return out

    def _items(
        self, value: list[JSON] | tuple[JSON, ...], hashing: bool, skip: frozenset[str]
    ) -> JSON:
        """`walk` of a list or tuple, as a list."""
        out: list[JSON] = []
        memo = self.memo
        for item in value:
            if hashing and type(item) is str:
                hashed = memo.get(item)
                if hashed is None:
                    hashed = memo[item] = self._digest(item)
                out.append(hashed)
            else:
                out.append(self.walk(item, hashing, skip))
        return out

    def data(self, value: JSON, skip: tuple[str, ...]) -> JSON:
        return self.walk(value, self.hasher is not None, frozenset(skip) if skip else NO_SKIP)


__all__ = [
    "CHECKED",
    "EMPTY",
    "NO_SKIP",
    "SCALARS",
    "FormatOptions",
    "Hasher",
    "Values",
    "is_plain",
    "omit_empty",
]
