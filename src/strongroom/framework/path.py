"""`Path`: one declared resource of a backend — pattern, fields, operations, help. Pure."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from strongroom.framework.field import Field
from strongroom.framework.field_data import FieldData
from strongroom.framework.pattern import Segment
from strongroom.logical import Operation, Request, Response

Handler = Callable[[Request, FieldData], Awaitable[Response | None]]
ExistenceCheck = Callable[[Request, FieldData], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class OperationSpec:
    """A handler plus what the OpenAPI document says about it."""

    handler: Handler
    summary: str = ""
    description: str = ""
    operation_id: str = ""


@dataclass(frozen=True)
class Path:
    """A declared path. Build `pattern` from segment helpers (framework.pattern)."""

    pattern: Segment
    operations: Mapping[Operation, Handler | OperationSpec]
    fields: Mapping[str, Field] = field(default_factory=dict)
    exists: ExistenceCheck | None = None
    synopsis: str = ""
    description: str = ""
    take_unknown_fields: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "_regex", self.pattern.compile())
        # Bare handlers wrapped once, not on every request (`operations` is fixed once the
        # path is built).
        specs = {
            operation: entry if isinstance(entry, OperationSpec) else OperationSpec(handler=entry)
            for operation, entry in self.operations.items()
        }
        object.__setattr__(self, "_specs", specs)

    @property
    def regex(self) -> re.Pattern[str]:
        compiled: re.Pattern[str] = object.__getattribute__(self, "_regex")
        return compiled

    def spec(self, operation: Operation) -> OperationSpec | None:
        """The operation's spec, or None when the path does not support it."""
        specs: dict[Operation, OperationSpec] = object.__getattribute__(self, "_specs")
        return specs.get(operation)

    def field_data(self, request: Request, captures: Mapping[str, str]) -> FieldData:
        """Request data merged with the URL captures (captures win, as in Vault)."""
        raw = dict(request.data)
        raw.update(captures)  # captures never hold None (see Backend.route)
        return FieldData(raw, self.fields)


__all__ = ["ExistenceCheck", "Handler", "OperationSpec", "Path"]
