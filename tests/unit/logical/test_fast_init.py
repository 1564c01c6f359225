"""`fast_init`: the generated `__init__` behaves as the one `dataclasses` writes."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import dataclass, field

import pytest

from strongroom.logical import Connection, Operation, Request, Response, TokenInfo
from strongroom.logical._fast_init import fast_init
from strongroom.sensitive import SecretValue


def _plain_twin(cls: type) -> type:
    """The same fields as a frozen slotted dataclass with the stock `__init__`."""
    specs = []
    for f in dataclasses.fields(cls):
        kwargs: dict[str, object] = {}
        if f.default is not dataclasses.MISSING:
            kwargs["default"] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            kwargs["default_factory"] = f.default_factory
        specs.append((f.name, f.type, field(**kwargs)))  # type: ignore[call-overload]
    twin: type = dataclasses.make_dataclass(cls.__name__, specs, frozen=True, slots=True)
    return twin


@pytest.mark.parametrize("cls", [Connection, TokenInfo, Request, Response])
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

    @dataclass(frozen=True, slots=True)
    class Hidden:
        a: int = field(default=0, init=False)

    @dataclass(frozen=True, slots=True, kw_only=True)
    class KeywordOnly:
        a: int = 0

    for cls in (NoSlots, NotFrozen, PostInit, Hidden, KeywordOnly, int):
        with pytest.raises(TypeError):
            fast_init(cls)


def test_a_class_without_fields() -> None:
    @fast_init
    @dataclass(frozen=True, slots=True)
    class Empty:
        pass

    assert Empty() == Empty()
