"""Typed reads from one config block, with Vault's coercions and precise error messages.

A `Section` wraps one object node. Each getter records the key it was asked for; `finish()`
then rejects any key nobody asked for, suggesting the closest known one. So the getters a
stanza parser calls are its schema, and a typo can never be silently ignored. This module
must not know any particular key.

Messages point at the line in HCL (`config.hcl:7: unknown key "adress" in listener "tcp"`)
and at the key path in JSON (`config.json: listener.tcp: unknown key "adress"`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import overload

from strongroom.config._tree import Node, Where, describe, go_string
from strongroom.durations import parse_bool, parse_duration
from strongroom.errors import ConfigError

_INTEGER = re.compile(r"[+-]?\d+")


class Section:
    """Reads settings out of one block body and rejects the keys nobody asked for."""

    __slots__ = ("_asked", "_entries", "context", "where")

    def __init__(self, node: Node, context: str) -> None:
        if not isinstance(node.value, Mapping):
            name = context or "the configuration"
            raise node.where.error(f"{name} must be a block, not {describe(node)}")
        self._entries: Mapping[str, Node] = node.value
        self._asked: set[str] = set()
        self.context = context
        self.where = node.where

    # -- errors -------------------------------------------------------------------------------

    def block_error(self, message: str) -> ConfigError:
        """An error about the block as a whole, located at its first line or key path."""
        if self.where.line is not None and self.context:
            return self.where.error(f"{self.context}: {message}")
        return self.where.error(message)

    def key_error(
        self, node: Node, message: str, hint: str = "", *, scoped: bool = True
    ) -> ConfigError:
        """An error about one key: its line in HCL, the block's key path in JSON.

        In HCL the message names the block (`... in listener "tcp"`) unless `scoped` is off.
        """
        if node.where.line is None:
            return self.where.error(message + hint)
        scope = f" in {self.context}" if self.context and scoped else ""
        return Where(node.where.file, node.where.line).error(f"{message}{scope}{hint}")

    def invalid(self, key: str, node: Node, expected: str) -> ConfigError:
        """A wrong-type or out-of-range value for `key`."""
        return self.key_error(node, f'invalid value for "{key}"', f": expected {expected}")

    # -- raw access ---------------------------------------------------------------------------

    def keys(self) -> tuple[str, ...]:
        """Every key present, in file order."""
        return tuple(self._entries)

    def get(self, key: str) -> Node | None:
        """The node under `key`, or None; marks `key` as known."""
        self._asked.add(key)
        return self._entries.get(key)

    def rest(self) -> dict[str, str]:
        """Every key not yet asked for, as Vault's map[string]string (free-form options)."""
        options = {key: go_string(node) for key, node in self._entries.items()}
        options = {key: value for key, value in options.items() if key not in self._asked}
        self._asked.update(self._entries)
        return options

    def finish(self) -> None:
        """Reject the first key no getter asked for, suggesting the closest known key."""
        for key, node in self._entries.items():
            if key in self._asked:
                continue
            close = difflib.get_close_matches(key, sorted(self._asked), n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise self.key_error(node, f'unknown key "{key}"', hint)

    # -- typed getters ------------------------------------------------------------------------

    @overload
    def string(self, key: str) -> str | None: ...
    @overload
    def string(self, key: str, default: str) -> str: ...
    def string(self, key: str, default: str | None = None) -> str | None:
        """A string value."""
        node = self.get(key)
        if node is None:
            return default
        if not isinstance(node.value, str):
            raise self.invalid(key, node, f"a string, got {describe(node)}")
        return node.value

    def boolean(self, key: str, default: bool) -> bool:
        """A boolean: true/false, 0/1 or Go's ParseBool strings ("true", "1", "F" ...)."""
        node = self.get(key)
        if node is None:
            return default
        try:
            return parse_bool(node.value)
        except ValueError:
            raise self.invalid(key, node, f"a boolean, got {describe(node)}") from None

    def integer(self, key: str, default: int) -> int:
        """An integer, also from a string of digits (Vault's parseutil.ParseInt)."""
        node = self.get(key)
        if node is None:
            return default
        value = node.value
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
            return int(value)
        raise self.invalid(key, node, f"an integer, got {describe(node)}")

    def duration(self, key: str, default: int) -> int:
        """Seconds from a number or a duration string such as "768h" or "1h30m"."""
        node = self.get(key)
        if node is None:
            return default
        try:
            return parse_duration(node.value)
        except ValueError:
            expected = f'a duration such as "30s" or a number of seconds, got {describe(node)}'
            raise self.invalid(key, node, expected) from None

    def strings(self, key: str) -> tuple[str, ...]:
        """A list of strings, or one comma-separated string (Vault accepts both)."""
        node = self.get(key)
        if node is None:
            return ()
        if isinstance(node.value, str):
            return tuple(part.strip() for part in node.value.split(",") if part.strip())
        if isinstance(node.value, tuple) and all(isinstance(n.value, str) for n in node.value):
            return tuple(str(item.value) for item in node.value)
        raise self.invalid(key, node, f"a list of strings, got {describe(node)}")

    def string_map(self, key: str) -> dict[str, str]:
        """A `key { a = "b" }` block or `key = { ... }` object as a map[string]string."""
        node = self.get(key)
        if node is None:
            return {}
        bodies = self.blocks(key)
        if len(bodies) != 1:
            raise self.key_error(node, f'"{key}" may only be given once')
        return Section(bodies[0], self.context).rest()

    def blocks(self, key: str) -> list[Node]:
        """An unlabelled block: one object, or the list HCL makes of repeated blocks."""
        node = self.get(key)
        if node is None:
            return []
        items = node.value if isinstance(node.value, tuple) else (node,)
        for item in items:
            if not item.is_object:
                raise self.invalid(key, item, f"a block, got {describe(item)}")
        return list(items)

    def single_block(self, key: str) -> Node | None:
        """An unlabelled block that may appear at most once (telemetry)."""
        bodies = self.blocks(key)
        if len(bodies) > 1:
            raise self.key_error(bodies[1], f'only one "{key}" block is allowed')
        return bodies[0] if bodies else None

    def labelled(self, key: str) -> list[tuple[str, Node]]:
        """A labelled block kind (`listener "tcp" {..}`) as (label, body) pairs in file order.

        Accepts every shape Vault's JSON allows: `{"tcp": {..}}`, `[{"tcp": {..}}]`,
        `{"tcp": [{..}, {..}]}`, and the unlabelled `{"type": "tcp", ..}`.
        """
        result: list[tuple[str, Node]] = []
        for item in self.blocks(key):
            entries = item.value
            if not isinstance(entries, Mapping):  # blocks() already checked; for mypy
                raise self.invalid(key, item, "a block")
            type_node = entries.get("type")
            if type_node is not None and isinstance(type_node.value, str):
                rest = {name: node for name, node in entries.items() if name != "type"}
                result.append((type_node.value, Node(rest, item.where)))
                continue
            if not entries:
                raise self.key_error(item, f'"{key}" needs a type, as in {key} "<type>" {{...}}')
            for label, body in entries.items():
                bodies = body.value if isinstance(body.value, tuple) else (body,)
                for one in bodies:
                    if not one.is_object:
                        expected = f"a block, got {describe(one)}"
                        raise self.invalid(f'{key} "{label}"', one, expected)
                    result.append((label, one))
        return result


__all__ = ["Section"]
