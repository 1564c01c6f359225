"""What a Backend works out once: routes per request path, operation specs, special paths."""

from __future__ import annotations

import pytest

from strongroom.framework import Backend, Field, FieldData, FieldType, Path, SpecialPaths, lit, name
from strongroom.framework import backend as backend_module
from strongroom.logical import Operation, Request, Response


async def _read(request: Request, data: FieldData) -> Response | None:
    return Response.of({"name": data.string("name")})


A = Path(
    pattern=lit("a/") + name("name"),
    operations={Operation.READ: _read},
    fields={"name": Field(FieldType.STRING)},
)
B = Path(
    pattern=lit("b/") + name("name"),
    operations={Operation.READ: _read},
    fields={"name": Field(FieldType.STRING)},
)


def test_routes_are_remembered_and_follow_a_new_path_list() -> None:
    backend = Backend(paths=[A])
    first = backend.route("a/x")
    assert first is not None and first[0] is A and first[1] == {"name": "x"}
    assert backend.route("a/x") is first
    assert backend.route("b/x") is None
    backend.paths = [B]
    routed = backend.route("b/x")
    assert routed is not None and routed[0] is B
    assert backend.route("a/x") is None


def test_route_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backend_module, "ROUTE_CACHE_SIZE", 3)
    backend = Backend(paths=[A])
    for n in range(10):
        assert backend.route(f"a/{n}") is not None
    assert len(backend._routes) <= 3
    assert backend == Backend(paths=[A])  # the memory is not part of the value


def test_bare_handlers_get_a_spec_once() -> None:
    spec = A.spec(Operation.READ)
    assert spec is not None and spec.handler is _read and A.spec(Operation.READ) is spec
    assert A.spec(Operation.DELETE) is None


@pytest.mark.parametrize(
    ("patterns", "path", "expected"),
    [
        ((), "x", False),
        (("x",), "x", True),
        (("x",), "x/y", False),
        (("x/*",), "x/y", True),
        (("x/*",), "x", False),
        (("*",), "", True),
        (("a", "b*"), "bc", True),
        (("a", "b*"), "c", False),
    ],
)
def test_special_paths(patterns: tuple[str, ...], path: str, expected: bool) -> None:
    special = SpecialPaths(root=patterns, unauthenticated=patterns)
    assert special.is_root(path) is expected
    assert special.is_unauthenticated(path) is expected
    assert special == SpecialPaths(root=patterns, unauthenticated=patterns)
