"""`FieldData`: a request's raw parameters read through the path's declared fields. Pure."""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.errors import InvalidRequest
from strongroom.framework.field import Field, coerce, zero_value
from strongroom.types import JSON, JSONDict


class FieldData:
    """Typed access to request parameters; coercion errors become 400s."""

    __slots__ = ("_cache", "raw", "schema")

    def __init__(self, raw: JSONDict, schema: Mapping[str, Field]) -> None:
        self.raw = raw
        self.schema = schema
        self._cache: dict[str, JSON] = {}

    def check(self) -> None:
        """Coerce every declared field that is present; raise InvalidRequest on the first
        error (as OpenBao's existence check words it)."""
        for name in self.schema:
            if name in self.raw:
                self._coerced(name)

    def validate(self) -> None:
        """`check`, with the error worded as OpenBao's framework words it before a handler."""
        try:
            self.check()
        except InvalidRequest as exc:
            # vault-compat: framework validation error prefix
            raise InvalidRequest(f"Field validation failed: {exc}") from None

    def unknown_fields(self) -> list[str]:
        """Parameters sent that the path does not declare (Vault warns about these)."""
        extra = self.raw.keys() - self.schema.keys()
        return sorted(extra) if extra else []

    def _coerced(self, name: str) -> JSON:
        if name in self._cache:
            return self._cache[name]
        spec = self.schema[name]
        value = self.raw[name]
        try:
            result = coerce(spec.type, value)
        except ValueError as exc:
            # vault-compat: framework.FieldData error text (without the value: it may be a secret)
            raise InvalidRequest(f'error converting input for field "{name}": {exc}') from None
        if spec.allowed_values and result not in spec.allowed_values:
            allowed = ", ".join(str(v) for v in spec.allowed_values)
            raise InvalidRequest(f'field "{name}" must be one of: {allowed}')
        self._cache[name] = result
        return result

    def get_ok(self, name: str) -> tuple[JSON, bool]:
        """(value, whether the client sent it). Undeclared names are a programming error."""
        spec = self.schema.get(name)
        if spec is None:
            raise KeyError(f"field {name!r} is not declared on this path")
        if name in self.raw:
            return self._coerced(name), True
        return None, False

    def get(self, name: str) -> JSON:
        """The coerced value, else the declared default, else the type's zero value."""
        spec = self.schema.get(name)
        if spec is None:
            raise KeyError(f"field {name!r} is not declared on this path")
        if name in self.raw:
            cache = self._cache
            return cache[name] if name in cache else self._coerced(name)
        if spec.default is not None:
            return coerce(spec.type, spec.default)
        return zero_value(spec.type)

    def has(self, name: str) -> bool:
        return name in self.raw

    def string(self, name: str) -> str:
        value = self.get(name)
        return value if isinstance(value, str) else str(value)

    def integer(self, name: str) -> int:
        value = self.get(name)
        return int(value)

    def boolean(self, name: str) -> bool:
        return bool(self.get(name))

    def duration(self, name: str) -> int:
        """Seconds."""
        return int(self.get(name))

    def strings(self, name: str) -> list[str]:
        value = self.get(name)
        return [str(v) for v in value]

    def mapping(self, name: str) -> dict[str, JSON]:
        value = self.get(name)
        return dict(value)

    def require(self, name: str) -> JSON:
        """The value of a field the operation cannot do without; 400 naming it otherwise."""
        value, ok = self.get_ok(name)
        if not ok or value in ("", None):
            raise InvalidRequest(f"missing {name}")
        return value


__all__ = ["FieldData"]
