"""OpenAPI 3.0 documents and `?help=1` text generated from declared paths. Pure.

The templates come from the same segments as the matchers (framework.pattern), so the
document cannot drift from what the router accepts.
"""

from __future__ import annotations

from collections.abc import Iterable

from strongroom import __version__
from strongroom.framework.backend import Backend
from strongroom.framework.field import Field, FieldType
from strongroom.framework.path import Path
from strongroom.logical import Operation
from strongroom.types import JSONDict

_METHODS: dict[Operation, str] = {
    Operation.READ: "get",
    Operation.LIST: "get",
    Operation.UPDATE: "post",
    Operation.CREATE: "post",
    Operation.PATCH: "patch",
    Operation.DELETE: "delete",
}

_SCHEMA: dict[FieldType, JSONDict] = {
    FieldType.STRING: {"type": "string"},
    FieldType.LOWER_CASE_STRING: {"type": "string"},
    FieldType.NAME_STRING: {"type": "string"},
    FieldType.INT: {"type": "integer"},
    FieldType.FLOAT: {"type": "number"},
    FieldType.BOOL: {"type": "boolean"},
    FieldType.DURATION: {"type": "string", "format": "duration"},
    FieldType.SIGNED_DURATION: {"type": "string", "format": "duration"},
    FieldType.MAP: {"type": "object"},
    FieldType.KV_PAIRS: {"type": "object"},
    FieldType.SLICE: {"type": "array", "items": {"type": "object"}},
    FieldType.STRING_SLICE: {"type": "array", "items": {"type": "string"}},
    FieldType.COMMA_STRING_SLICE: {"type": "array", "items": {"type": "string"}},
    FieldType.COMMA_INT_SLICE: {"type": "array", "items": {"type": "integer"}},
    FieldType.HEADER: {"type": "object"},
}


def document(paths: dict[str, JSONDict]) -> JSONDict:
    """A whole OpenAPI document around already-generated path items."""
    return {
        "openapi": "3.0.2",
        "info": {
            "title": "Strongroom API",
            "description": "HTTP API compatible with OpenBao. All API routes are prefixed "
            "with `/v1/`.",
            "version": __version__,
            "license": {
                "name": "Mozilla Public License 2.0",
                "url": "https://www.mozilla.org/en-US/MPL/2.0",
            },
        },
        "paths": paths,
        "components": {"schemas": {}},
    }


def backend_paths(backend: Backend, mount_point: str) -> dict[str, JSONDict]:
    """OpenAPI path items for every declared path of a backend mounted at `mount_point`."""
    items: dict[str, JSONDict] = {}
    for path in backend.paths:
        items.update(_path_items(path, mount_point))
    return items


def _path_items(path: Path, mount_point: str) -> dict[str, JSONDict]:
    items: dict[str, JSONDict] = {}
    for template in path.pattern.templates:
        url = "/" + mount_point + template
        params = [p for p in path.pattern.params if "{" + p + "}" in template]
        item: JSONDict = {"description": path.synopsis}
        if params:
            item["parameters"] = [
                {
                    "name": p,
                    "in": "path",
                    "required": True,
                    "description": _description(path, p),
                    "schema": {"type": "string"},
                }
                for p in params
            ]
        for operation in path.operations:
            method = _METHODS.get(operation)
            if method is None or method in item:
                continue
            item[method] = _operation(path, operation, params)
        items[url] = item
    return items


def _operation(path: Path, operation: Operation, params: Iterable[str]) -> JSONDict:
    spec = path.spec(operation)
    summary = spec.summary if spec is not None and spec.summary else path.synopsis
    op: JSONDict = {"summary": summary, "responses": {"200": {"description": "OK"}}}
    if spec is not None and spec.operation_id:
        op["operationId"] = spec.operation_id
    body_fields = {k: v for k, v in path.fields.items() if k not in set(params)}
    if operation is Operation.LIST:
        op["parameters"] = [
            {
                "name": "list",
                "in": "query",
                "required": True,
                "schema": {"type": "string", "enum": ["true"]},
            }
        ]
    elif operation in (Operation.UPDATE, Operation.CREATE, Operation.PATCH) and body_fields:
        media = (
            "application/merge-patch+json" if operation is Operation.PATCH else "application/json"
        )
        op["requestBody"] = {
            "required": any(f.required for f in body_fields.values()),
            "content": {media: {"schema": _object_schema(body_fields)}},
        }
    return op


def _object_schema(fields: dict[str, Field]) -> JSONDict:
    properties: JSONDict = {}
    for key, spec in sorted(fields.items()):
        schema = dict(_SCHEMA[spec.type])
        if spec.description:
            schema["description"] = spec.description
        if spec.default is not None:
            schema["default"] = spec.default
        if spec.allowed_values:
            schema["enum"] = list(spec.allowed_values)
        if spec.deprecated:
            schema["deprecated"] = True
        properties[key] = schema
    required = sorted(k for k, f in fields.items() if f.required)
    schema_obj: JSONDict = {"type": "object", "properties": properties}
    if required:
        schema_obj["required"] = required
    return schema_obj


def _description(path: Path, param: str) -> str:
    spec = path.fields.get(param)
    return spec.description if spec is not None else ""


def help_text(path: Path, request_path: str) -> str:
    """The `help` string of a `?help=1` response, in Vault's layout."""
    lines = [
        f"Request:        {request_path}",
        f"Matching Route: {path.regex.pattern}",
        "",
        path.synopsis,
    ]
    if path.fields:
        lines += ["", "## PARAMETERS", ""]
        for key, spec in sorted(path.fields.items()):
            lines.append(f"{key} ({spec.type.value})")
            if spec.description:
                lines.append(f"    {spec.description}")
            lines.append("")
    if path.description:
        lines += ["", "## DESCRIPTION", "", path.description]
    return "\n".join(lines)


def help_response(backend: Backend, request_path: str, mount_point: str) -> JSONDict | None:
    """The body of a `?help=1` response for a path, or None when nothing matches."""
    routed = backend.route(request_path)
    if routed is None:
        return None
    path, _ = routed
    return {
        "help": help_text(path, request_path),
        "openapi": document(_path_items(path, mount_point)),
        "see_also": None,
    }


__all__ = ["backend_paths", "document", "help_response", "help_text"]
