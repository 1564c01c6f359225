"""The located value tree that both HCL and JSON config files parse into.

A `Node` is one value (scalar, list or object) plus the `Where` it came from, so errors can
point at a file and line (HCL) or a file and key path (JSON, whose parser gives no lines).
This module knows nothing about config keys or about either file syntax.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

from strongroom.errors import ConfigError
from strongroom.types import JSON

Scalar = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Where:
    """A position in a config file: the file, the line if known, and the key path."""

    file: str
    line: int | None = None
    path: tuple[str | int, ...] = ()

    def child(self, key: str | int, line: int | None = None) -> Where:
        """The position of `key` under this one; it keeps this line unless given its own."""
        return Where(self.file, self.line if line is None else line, (*self.path, key))

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}"
        if self.path:
            return f"{self.file}: {format_path(self.path)}"
        return self.file

    def error(self, message: str) -> ConfigError:
        """A ConfigError prefixed with this position."""
        return ConfigError(f"{self}: {message}")


def format_path(path: tuple[str | int, ...]) -> str:
    """A key path as `listener[0].tcp`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True, slots=True)
class Node:
    """One parsed value: a scalar, a tuple of nodes, or a mapping of key to node."""

    value: Scalar | tuple[Node, ...] | Mapping[str, Node]
    where: Where

    @property
    def is_object(self) -> bool:
        return isinstance(self.value, Mapping)

    def plain(self) -> JSON:
        """The value with locations dropped, as plain JSON data."""
        if isinstance(self.value, Mapping):
            return {key: node.plain() for key, node in self.value.items()}
        if isinstance(self.value, tuple):
            return [node.plain() for node in self.value]
        return self.value


def node_from_plain(value: JSON, where: Where) -> Node:
    """Wrap already-decoded data (a JSON document or an HCL attribute value) in nodes."""
    if isinstance(value, dict):
        return Node(
            {str(key): node_from_plain(item, where.child(str(key))) for key, item in value.items()},
            where,
        )
    if isinstance(value, list | tuple):
        return Node(
            tuple(node_from_plain(item, where.child(index)) for index, item in enumerate(value)),
            where,
        )
    if value is None or isinstance(value, str | int | float | bool):
        return Node(value, where)
    raise where.error(f"unsupported value {value!r}")


def go_string(node: Node) -> str:
    """A value as Vault keeps it in a map[string]string: strings as-is, others as Go JSON.

    True becomes "true", 5 becomes "5", 2.0 becomes "2" (Go formats integral float64s without
    a fraction), and lists or objects (raft's `retry_join` blocks) become compact JSON.
    """
    value = node.value
    if isinstance(value, str):
        return value
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return json.dumps(node.plain(), separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def describe(node: Node) -> str:
    """A short rendering of a value for error messages."""
    value = node.value
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, tuple):
        return "a list"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


__all__ = ["Node", "Scalar", "Where", "describe", "format_path", "go_string", "node_from_plain"]
