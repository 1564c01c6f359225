"""kv v2 `config`, `subkeys/<path>`, the catch-all paths, help text and the pure helpers
(merge patch, time format, locks), with the shapes observed on OpenBao 2.7."""

from __future__ import annotations

import asyncio

import pytest
from kv_harness import KV, raises_exactly, version_meta

from strongroom.engines.kv._merge_patch import merge_patch
from strongroom.engines.kv._model import format_time
from strongroom.errors import InternalError, InvalidRequest, UnsupportedOperation
from strongroom.framework import NamedLocks, help_response
from strongroom.logical import Operation, Request, Response
from strongroom.types import JSON

INVALID = (
    "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate "
    "API endpoints to use. If using the OpenBao CLI, use 'bao kv {}' for this operation."
)
ROOT = "Non-listing operations on the root of a K/V v2 mount are not supported."
DEFAULT_CONFIG = {
    "cas_required": False,
    "delete_version_after": "0s",
    "max_versions": 0,
    "metadata_cas_required": False,
}

# config -------------------------------------------------------------------------------------


async def test_config_defaults(kv2: KV) -> None:
    assert await kv2.read("config") == Response(data=DEFAULT_CONFIG)


async def test_config_write_changes_only_the_named_fields(kv2: KV) -> None:
    body = {"max_versions": 3, "cas_required": False, "delete_version_after": "1h"}
    assert await kv2.write("config", **body) is None
    expected = {**DEFAULT_CONFIG, "max_versions": 3, "delete_version_after": "1h0m0s"}
    assert await kv2.data("config") == expected
    await kv2.write("config", delete_version_after="0s", metadata_cas_required=True)
    expected.update(delete_version_after="0s", metadata_cas_required=True)
    assert await kv2.data("config") == expected


async def test_config_accepts_negative_values_as_openbao_does(kv2: KV) -> None:
    await kv2.write("config", max_versions=-1, delete_version_after="-1s")
    config = await kv2.data("config")
    assert (config["max_versions"], config["delete_version_after"]) == (4294967295, "-1s")


async def test_config_duration_may_be_seconds(kv2: KV) -> None:
    await kv2.write("config", delete_version_after=5400)
    assert (await kv2.data("config"))["delete_version_after"] == "1h30m0s"


@pytest.mark.parametrize("body", [{"max_versions": "abc"}, {"delete_version_after": "abc"}])
async def test_config_refuses_bad_values(kv2: KV, body: dict[str, JSON]) -> None:
    with pytest.raises(InvalidRequest, match="error converting input"):
        await kv2.write("config", **body)


@pytest.mark.parametrize("op", [Operation.DELETE, Operation.LIST, Operation.PATCH])
async def test_config_has_only_read_and_update(kv2: KV, op: Operation) -> None:
    with pytest.raises(UnsupportedOperation):
        await kv2.call(op, "config")


# subkeys ------------------------------------------------------------------------------------

NESTED: dict[str, JSON] = {
    "a": "1",
    "b": {"c": {"d": "x", "e": [1, {"f": 2}]}, "g": {}},
    "h": None,
    "i": [],
}


async def test_subkeys_replaces_values_with_null(kv2: KV) -> None:
    await kv2.put("s", NESTED)
    response = await kv2.read("subkeys/s")
    assert response == Response(
        data={
            "metadata": version_meta(1),
            "subkeys": {
                "a": None,
                "b": {"c": {"d": None, "e": None}, "g": None},
                "h": None,
                "i": None,
            },
        }
    )


@pytest.mark.parametrize(
    ("depth", "expected"),
    [
        ("1", {"a": None, "e": None}),
        ("-1", {"a": None, "e": None}),
        ("-2", {"a": None, "e": None}),
        ("2", {"a": {"b": None}, "e": None}),
        ("3", {"a": {"b": {"c": None}}, "e": None}),
        ("4", {"a": {"b": {"c": {"d": None}}}, "e": None}),
        ("0", {"a": {"b": {"c": {"d": None}}}, "e": None}),
    ],
)
async def test_subkeys_depth(kv2: KV, depth: str, expected: JSON) -> None:
    await kv2.put("s", {"a": {"b": {"c": {"d": 1}}}, "e": {}})
    assert (await kv2.data("subkeys/s", depth=depth))["subkeys"] == expected


async def test_subkeys_of_empty_and_null_data(kv2: KV) -> None:
    await kv2.put("empty", {})
    assert (await kv2.data("subkeys/empty"))["subkeys"] == {}
    await kv2.put("null", None)
    assert (await kv2.data("subkeys/null"))["subkeys"] is None


async def test_subkeys_of_versions(kv2: KV) -> None:
    await kv2.put("s", {"a": 1})
    await kv2.put("s", {"b": 1})
    assert (await kv2.data("subkeys/s", version="1"))["subkeys"] == {"a": None}
    assert await kv2.read("subkeys/s", version="5") is None
    assert await kv2.read("subkeys/nothere") is None
    assert await kv2.read("subkeys/") is None
    await kv2.delete("data/s")
    response = await kv2.read("subkeys/s")
    assert response == Response(
        data={"metadata": version_meta(2, deletion="2027-01-15T08:00:00Z"), "subkeys": None},
        status=404,
    )


async def test_subkeys_bad_depth_is_refused(kv2: KV) -> None:
    with pytest.raises(InvalidRequest, match="depth"):
        await kv2.read("subkeys/s", depth="x")


# catch-all paths ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "verb"),
    [
        (Operation.READ, "get"),
        (Operation.LIST, "list"),
        (Operation.UPDATE, "put"),
        (Operation.CREATE, "put"),
        (Operation.PATCH, "patch"),
        (Operation.DELETE, "delete"),
    ],
)
@pytest.mark.parametrize("path", ["foo", "foo/bar", "subkeys", "detailed-metadata", "config/x"])
async def test_paths_outside_the_api_warn(kv2: KV, op: Operation, verb: str, path: str) -> None:
    response = await kv2.call(op, path, a=1)
    assert response == Response(warnings=(INVALID.format(verb),), status=404)


@pytest.mark.parametrize(
    ("op", "verb"),
    [(Operation.READ, "get"), (Operation.LIST, "list"), (Operation.DELETE, "delete")],
)
async def test_the_mount_root_warns(kv2: KV, op: Operation, verb: str) -> None:
    assert await kv2.call(op, "") == Response(warnings=(INVALID.format(verb),), status=404)


@pytest.mark.parametrize("op", [Operation.UPDATE, Operation.PATCH])
@pytest.mark.parametrize("path", ["", "config/", "foo/"])
async def test_writes_outside_the_api_ending_in_slash_are_400(
    kv2: KV, op: Operation, path: str
) -> None:
    with raises_exactly(InvalidRequest, "cannot write to a path ending in '/'"):
        await kv2.call(op, path, a=1)


@pytest.mark.parametrize("path", ["data", "metadata", "delete", "undelete", "destroy"])
@pytest.mark.parametrize(
    "op", [Operation.READ, Operation.UPDATE, Operation.DELETE, Operation.PATCH]
)
async def test_roots_of_the_api_warn(kv2: KV, op: Operation, path: str) -> None:
    response = await kv2.call(op, path, versions=[1])
    assert response == Response(warnings=(ROOT,), status=404)


@pytest.mark.parametrize(
    ("op", "path"),
    [
        (Operation.LIST, "data/"),
        (Operation.LIST, "subkeys/"),
        (Operation.LIST, "delete/"),
        (Operation.READ, "delete/foo"),
        (Operation.DELETE, "destroy/foo"),
        (Operation.READ, "undelete/foo"),
        (Operation.READ, "detailed-metadata/foo"),
    ],
)
async def test_unsupported_operations(kv2: KV, op: Operation, path: str) -> None:
    with pytest.raises(UnsupportedOperation):
        await kv2.call(op, path)


# help and declarations ----------------------------------------------------------------------


def test_every_path_has_help(kv2: KV) -> None:
    for path in kv2.backend.paths:
        assert path.synopsis
        assert path.description
    assert "versioned key-value store" in kv2.backend.help


def test_help_response_names_the_fields(kv2: KV) -> None:
    body = help_response(kv2.backend, "data/foo", "secret/")
    assert body is not None
    assert "Write, Patch, Read, and Delete data in the Key-Value Store." in body["help"]
    for name in ("data", "options", "version"):
        assert f"\n{name} (" in body["help"]
    paths = body["openapi"]["paths"]
    assert set(paths["/secret/data/{path}"]) >= {"get", "post", "patch", "delete"}


# pure helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "patch", "result"),
    [
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        (["a", "b"], ["c", "d"], ["c", "d"]),
        ({"a": "b"}, ["c"], ["c"]),
        ({"a": "foo"}, None, None),
        ({"a": "foo"}, "bar", "bar"),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ],
)
def test_merge_patch_rfc7386_examples(target: JSON, patch: JSON, result: JSON) -> None:
    before = repr(target)
    assert merge_patch(target, patch) == result
    assert repr(target) == before


@pytest.mark.parametrize(
    ("us", "text"),
    [
        (0, ""),
        (1_800_000_000_000_000, "2027-01-15T08:00:00Z"),
        (1_800_000_000_500_000, "2027-01-15T08:00:00.5Z"),
        (1_800_000_000_000_001, "2027-01-15T08:00:00.000001Z"),
        (10**20, "9999-12-31T23:59:59.999999Z"),
    ],
)
def test_times_render_like_go_rfc3339nano(us: int, text: str) -> None:
    assert format_time(us) == text


async def test_key_locks_are_dropped_when_free() -> None:
    locks = NamedLocks()
    order: list[str] = []

    async def hold(name: str, tag: str) -> None:
        async with locks.hold(name):
            order.append(tag + "+")
            await asyncio.sleep(0)
            order.append(tag + "-")

    await asyncio.gather(hold("a", "1"), hold("a", "2"), hold("b", "3"))
    assert order.index("1-") < order.index("2+")
    assert len(locks) == 0


async def test_locks_are_released_after_errors(kv2: KV) -> None:
    with pytest.raises(InvalidRequest):
        await kv2.put("foo", {"a": 1}, cas=3)
    assert await kv2.put("foo", {"a": 1}, cas=0) == version_meta(1)


async def test_a_request_without_storage_is_an_internal_error(kv2: KV) -> None:
    request = Request(operation=Operation.READ, path="config")
    with pytest.raises(InternalError):
        await kv2.backend.handle(request)
