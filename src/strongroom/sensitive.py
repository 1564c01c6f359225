"""`SecretValue`: a string that never shows itself in a repr, a log line or a traceback.

Tokens, keys and shares travel wrapped in it (like Starlette's datastructures.Secret), so an
accidental `logger.info("%r", request)` prints `SecretValue('**********')`.
"""

from __future__ import annotations


class SecretValue:
    """A sensitive string with a redacted repr."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The actual value; call only where it is needed."""
        return self._value

    def __repr__(self) -> str:
        return "SecretValue('**********')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretValue) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


__all__ = ["SecretValue"]
