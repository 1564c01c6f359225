"""`fast_init`: the generated `__init__` behaves as the one `dataclasses` writes."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import dataclass, field

import pytest

from strongroom.audit import AuditEntry
from strongroom.fast_init import fast_init
from strongroom.logical import Connection, Operation, Request, Response, TokenInfo
from strongroom.sensitive import SecretValue


def _plain_twin(cls: type) -> type:
    """The same fields as a frozen slotted dataclass with the stock `__init__`."""
    specs = []
    for f in dataclasses.fields(cls):
        kwargs: dict[str, object] = {"init": f.init}
        if f.default is not dataclasses.MISSING:
            kwargs["default"] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            kwargs["default_factory"] = f.default_factory
        specs.append((f.name, f.type, field(**kwargs)))  # type: ignore[call-overload]
    twin: type = dataclasses.make_dataclass(cls.__name__, specs, frozen=True, slots=True)
    return twin


@pytest.mark.parametrize("cls", [Connection, TokenInfo, Request, Response, AuditEntry])
def test_signature_matches_the_stock_init(cls: type) -> None:
    ours = inspect.signature(cls.__init__)
    stock = inspect.signature(_plain_twin(cls).__init__)
    assert [p.name for p in ours.parameters.values()] == [p.name for p in stock.parameters.values()]
    for mine, theirs in zip(ours.parameters.values(), stock.parameters.values(), strict=True):
        assert mine.kind == theirs.kind
        assert repr(mine.default) == repr(theirs.default)


def test_fields_defaults_and_factories() -> None:
    token = TokenInfo(accessor="a", policies=("p",), token_id=SecretValue("t"))
    request = Request(Operation.READ, "secret/x", token=token, wrap_ttl=5)
    assert (request.operation, request.path, request.token, request.wrap_ttl) == (
        Operation.READ,
        "secret/x",
        token,
        5,
    )
    assert request.data == {} and request.headers == {} and request.connection == Connection()
    other = Request(Operation.READ, "secret/x")
    assert other.data is not request.data and other.headers is not request.headers
    given: dict[str, object] = {"k": 1}
    assert Request(Operation.UPDATE, "p", data=given).data is given
    assert Response.of({"a": 1}) == Response(data={"a": 1})
    assert dataclasses.replace(request, path="y").path == "y"


def test_result_is_frozen_and_arguments_are_checked() -> None:
    request = Request(Operation.READ, "p")
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.path = "q"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Request(Operation.READ)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Request(Operation.READ, "p", unknown=1)  # type: ignore[call-arg]


def test_refuses_classes_it_cannot_reproduce() -> None:
    @dataclass(frozen=True)
    class NoSlots:
        a: int = 0

    @dataclass(slots=True)
    class NotFrozen:
        a: int = 0

    @dataclass(frozen=True, slots=True)
    class PostInit:
        a: int = 0

        def __post_init__(self) -> None:
            pass

    @dataclass(frozen=True, slots=True, kw_only=True)
    class KeywordOnly:
        a: int = 0

    for cls in (NoSlots, NotFrozen, PostInit, KeywordOnly, int):
        with pytest.raises(TypeError):
            fast_init(cls)


def test_fields_outside_init_get_their_default_as_the_stock_init_gives_them() -> None:
    @fast_init
    @dataclass(frozen=True, slots=True)
    class Hidden:
        a: int
        b: int = field(default=7, init=False)
        c: list[int] = field(default_factory=list, init=False)

    one, two = Hidden(1), Hidden(2)
    assert (one.a, one.b, one.c) == (1, 7, [])
    assert one.c is not two.c
    with pytest.raises(TypeError):
        Hidden(1, 2)  # type: ignore[call-arg]
    request = Request(Operation.READ, "p")
    entry = AuditEntry(request, 1.5)
    assert entry.memo == {} and entry.memo is not AuditEntry(request, 1.5).memo
    assert entry.request_headers == {} and entry.plain_headers == frozenset()
    phase = entry.outcome(2.5, None, "boom")
    assert (phase.time, phase.error, phase.request) == (2.5, "boom", request)
    assert phase.memo is entry.memo


def test_a_class_without_fields() -> None:
    @fast_init
    @dataclass(frozen=True, slots=True)
    class Empty:
        pass

    assert Empty() == Empty()
