"""Shared type aliases. `JSON` is the one place where an open-ended value type is allowed."""

from __future__ import annotations

from typing import Any, TypeAlias

JSON: TypeAlias = Any  # decoded JSON is open-ended by nature
JSONDict: TypeAlias = dict[str, JSON]

__all__ = ["JSON", "JSONDict"]
