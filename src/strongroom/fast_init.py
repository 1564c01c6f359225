"""`fast_init`: the `__init__` of a frozen, slotted dataclass, generated to set each field
through its slot descriptor. No I/O.

A frozen dataclass's generated `__init__` assigns every field with `object.__setattr__`, which
is a name lookup and a general-purpose call per field. The request pipeline builds a few of
these objects per request (a 15-field `Request` twice, and two `AuditEntry`s), so this module
generates the same `__init__` (same parameters, defaults and default factories, same frozen
result) with the slot descriptor's setter bound once per field: the construction costs about
half. It applies only where the result is identical: frozen, slotted, no `__post_init__`, no
keyword-only fields. A field outside `__init__` (`init=False`) gets its default or a new value
of its default factory, as the dataclass `__init__` gives it.

`slot_setter` gives the same setter to code that builds such an object another way (a copy
that must share one field's value, say).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class _Factory:
    """Marks a parameter whose default comes from its field's default factory."""

    def __repr__(self) -> str:
        return "<factory>"  # as dataclasses shows it


_FACTORY = _Factory()


def fast_init(cls: type[T]) -> type[T]:
    """Give the frozen, slotted dataclass `cls` a generated `__init__` equivalent to the one
    `dataclasses` wrote (TypeError for any class it would not be equivalent for)."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: fast_init needs a frozen, slotted dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: fast_init does not run __post_init__")
    namespace: dict[str, object] = {"_FACTORY": _FACTORY}
    args: list[str] = []
    body: list[str] = []
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        name = field.name
        if field.kw_only:
            raise TypeError(f"{cls.__name__}.{name}: fast_init does not take keyword-only fields")
        namespace[f"_set_{name}"] = slot_setter(cls, name)
        default = made = ""  # the expressions for the field's default or a new one
        if field.default is not dataclasses.MISSING:
            namespace[f"_default_{name}"] = field.default
            default = f"_default_{name}"
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"_make_{name}"] = field.default_factory
            made = f"_make_{name}()"
        if not field.init:
            value = default or made
            if not value:
                continue  # (with neither, the dataclass __init__ leaves it unset too)
        elif default:
            args.append(f"{name}={default}")
            value = name
        elif made:
            args.append(f"{name}=_FACTORY")
            value = f"{made} if {name} is _FACTORY else {name}"
        else:
            args.append(name)
            value = name
        body.append(f"    _set_{name}(self, {value})\n")
    source = f"def __init__(self, {', '.join(args)}):\n{''.join(body) or '    pass'}\n"
    exec(source, namespace)  # the way dataclasses itself builds __init__
    init = namespace["__init__"]
    original = cls.__dict__["__init__"]
    for attribute in ("__qualname__", "__annotations__", "__doc__"):
        setattr(init, attribute, getattr(original, attribute))
    setattr(cls, "__init__", init)  # noqa: B010 (mypy refuses assigning a method)
    return cls


def slot_setter(cls: type, name: str) -> Callable[[object, object], None]:
    """The setter of the slot `name` of `cls` (which sets it even when `cls` is frozen)."""
    setter: Callable[[object, object], None] = cls.__dict__[name].__set__
    return setter


__all__ = ["fast_init", "slot_setter"]
