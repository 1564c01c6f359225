"""Path patterns, routing, operations and OpenAPI templates of a framework Backend."""

from __future__ import annotations

import pytest

from strongroom.errors import InvalidRequest, NotFound, UnsupportedOperation
from strongroom.framework import (
    Backend,
    Field,
    FieldData,
    FieldType,
    Path,
    SpecialPaths,
    backend_paths,
    lit,
    name,
    opt,
    rest,
)
from strongroom.logical import Operation, Request, Response


async def _echo(request: Request, data: FieldData) -> Response | None:
    return Response.of(
        {"name": data.string("name"), "ttl": data.duration("ttl"), "op": request.operation}
    )


async def _exists(request: Request, data: FieldData) -> bool:
    return data.string("name") == "present"


KEYS = Path(
    pattern=lit("keys/") + name("name") + opt(lit("/") + name("version")),
    operations={Operation.READ: _echo, Operation.UPDATE: _echo, Operation.CREATE: _echo},
    fields={
        "name": Field(FieldType.STRING, "key name"),
        "version": Field(FieldType.INT),
        "ttl": Field(FieldType.DURATION),
    },
    exists=_exists,
    synopsis="Manage keys",
)
FILES = Path(
    pattern=lit("files/") + rest("path"),
    operations={Operation.READ: _echo},
    fields={
        "path": Field(FieldType.STRING),
        "name": Field(FieldType.STRING),
        "ttl": Field(FieldType.DURATION),
    },
)
BACKEND = Backend(
    paths=[KEYS, FILES], special_paths=SpecialPaths(root=("keys/*",), unauthenticated=("login",))
)


def _request(op: Operation, path: str, **data: object) -> Request:
    return Request(operation=op, path=path, data=dict(data))


async def test_route_captures_and_coerces() -> None:
    response = await BACKEND.handle(_request(Operation.READ, "keys/app.key-1", ttl="2m"))
    assert response is not None and response.data == {
        "name": "app.key-1",
        "ttl": 120,
        "op": Operation.READ,
    }
    assert BACKEND.route("keys/a/3") is not None
    assert BACKEND.route("keys/a/b/c") is None
    routed = BACKEND.route("files/a/b/c")
    assert routed is not None and routed[1] == {"path": "a/b/c"}


async def test_captures_override_body_values() -> None:
    response = await BACKEND.handle(_request(Operation.UPDATE, "keys/real", name="spoofed"))
    assert response is not None and response.data is not None
    assert response.data["name"] == "real"


async def test_errors() -> None:
    with pytest.raises(NotFound):
        await BACKEND.handle(_request(Operation.READ, "nothing"))
    with pytest.raises(UnsupportedOperation):
        await BACKEND.handle(_request(Operation.DELETE, "keys/a"))
    with pytest.raises(InvalidRequest):
        await BACKEND.handle(_request(Operation.READ, "keys/a", ttl="never"))


async def test_existence_check_and_special_paths() -> None:
    assert await BACKEND.exists(_request(Operation.UPDATE, "keys/present")) is True
    assert await BACKEND.exists(_request(Operation.UPDATE, "keys/absent")) is False
    assert await BACKEND.exists(_request(Operation.READ, "files/x")) is None
    assert BACKEND.special_paths.is_root("keys/x")
    assert not BACKEND.special_paths.is_root("files/x")
    assert BACKEND.special_paths.is_unauthenticated("login")
    assert not BACKEND.special_paths.is_unauthenticated("login/x")


async def test_unknown_fields_warn_on_writes() -> None:
    response = await BACKEND.handle(_request(Operation.UPDATE, "keys/a", surprise=1))
    assert response is not None
    assert response.warnings == ("Endpoint ignored these unrecognized parameters: [surprise]",)


def test_openapi_templates_expand_optional_segments() -> None:
    paths = backend_paths(BACKEND, "transit/")
    assert set(paths) == {
        "/transit/keys/{name}/{version}",
        "/transit/keys/{name}",
        "/transit/files/{path}",
    }
    item = paths["/transit/keys/{name}/{version}"]
    assert [p["name"] for p in item["parameters"]] == ["name", "version"]
    assert set(item) >= {"get", "post"}
    schema = item["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["properties"]) == {"ttl"}
