"""kv v2 `metadata/<path>` and `detailed-metadata/<path>`: settings, custom_metadata limits,
metadata check-and-set, delete and list, as observed on OpenBao 2.7."""

from __future__ import annotations

import json

import pytest
from kv_harness import KV, T0, raises_exactly

from strongroom.errors import InvalidRequest
from strongroom.logical import Response
from strongroom.types import JSON

T1 = "2027-01-15T08:00:01Z"


def _metadata(**overrides: JSON) -> dict[str, JSON]:
    body: dict[str, JSON] = {
        "cas_required": False,
        "created_time": T0,
        "current_metadata_version": 0,
        "current_version": 0,
        "custom_metadata": None,
        "delete_version_after": "0s",
        "max_versions": 0,
        "metadata_cas_required": False,
        "oldest_version": 0,
        "updated_time": T0,
        "versions": {},
    }
    body.update(overrides)
    return body


async def test_metadata_of_a_written_key(kv2: KV) -> None:
    await kv2.put("foo", {"a": 1})
    kv2.clock.advance(1)
    await kv2.put("foo", {"a": 2})
    assert await kv2.data("metadata/foo") == _metadata(
        current_version=2,
        updated_time=T1,
        versions={
            "1": {"created_time": T0, "deletion_time": "", "destroyed": False},
            "2": {"created_time": T1, "deletion_time": "", "destroyed": False},
        },
    )


async def test_metadata_write_creates_a_key_without_versions(kv2: KV) -> None:
    assert (
        await kv2.write(
            "metadata/m1",
            custom_metadata={"a": "1", "b": "2"},
            max_versions=4,
            cas_required=True,
            delete_version_after="1h",
        )
        is None
    )
    assert await kv2.data("metadata/m1") == _metadata(
        cas_required=True,
        current_metadata_version=1,
        custom_metadata={"a": "1", "b": "2"},
        delete_version_after="1h0m0s",
        max_versions=4,
    )
    written = await kv2.put("m1", {"x": 1}, cas=0)
    assert written["custom_metadata"] == {"a": "1", "b": "2"}
    assert written["deletion_time"] == "2027-01-15T09:00:00Z"


async def test_metadata_write_changes_only_the_named_fields(kv2: KV) -> None:
    await kv2.write("metadata/m", custom_metadata={"a": "1"}, cas_required=True)
    kv2.clock.advance(1)
    await kv2.write("metadata/m", max_versions=7)
    meta = await kv2.data("metadata/m")
    assert meta["cas_required"] is True
    assert meta["custom_metadata"] == {"a": "1"}
    assert (meta["max_versions"], meta["current_metadata_version"]) == (7, 2)
    assert (meta["created_time"], meta["updated_time"]) == (T0, T1)
    await kv2.write("metadata/m", custom_metadata={"c": "3"})
    assert (await kv2.data("metadata/m"))["custom_metadata"] == {"c": "3"}


async def test_metadata_write_of_the_same_values_still_counts(kv2: KV) -> None:
    await kv2.write("metadata/m", max_versions=7)
    await kv2.write("metadata/m", max_versions=7)
    assert (await kv2.data("metadata/m"))["current_metadata_version"] == 2


@pytest.mark.parametrize("body", [{}, {"foo": 1}, {"metadata_cas": 5}])
async def test_metadata_write_without_settable_fields_changes_nothing(
    kv2: KV, body: dict[str, JSON]
) -> None:
    await kv2.write("metadata/m", max_versions=3)
    before = await kv2.data("metadata/m")
    kv2.clock.advance(1)
    response = await kv2.write("metadata/m", **body)
    assert response is None or response.data is None
    assert await kv2.data("metadata/m") == before
    await kv2.write("metadata/new", **body)
    assert await kv2.read("metadata/new") is None


async def test_empty_or_null_custom_metadata_reads_as_null(kv2: KV) -> None:
    await kv2.write("metadata/m", custom_metadata={"a": "1"})
    await kv2.write("metadata/m", custom_metadata={})
    assert (await kv2.data("metadata/m"))["custom_metadata"] is None
    await kv2.write("metadata/m", custom_metadata={"a": "1"})
    await kv2.write("metadata/m", custom_metadata=None)
    meta = await kv2.data("metadata/m")
    assert (meta["custom_metadata"], meta["current_metadata_version"]) == (None, 4)


async def test_custom_metadata_values_are_weakly_decoded_to_strings(kv2: KV) -> None:
    await kv2.write("metadata/m", custom_metadata={"i": 1, "t": True, "f": False, "s": "x"})
    meta = await kv2.data("metadata/m")
    assert meta["custom_metadata"] == {"i": "1", "t": "1", "f": "0", "s": "x"}


@pytest.mark.parametrize(
    ("value", "go_type"), [({"b": 1}, "map[string]interface {}"), ([1], "[]interface {}")]
)
async def test_nested_custom_metadata_values_are_refused(
    kv2: KV, value: JSON, go_type: str
) -> None:
    message = (
        "custom_metadata validation failed: '' expected type 'string', "
        f"got unconvertible type '{go_type}'"
    )
    with raises_exactly(InvalidRequest, message):
        await kv2.write("metadata/m", custom_metadata={"a": value})


async def test_custom_metadata_that_is_not_a_map_is_refused(kv2: KV) -> None:
    with pytest.raises(InvalidRequest, match="custom_metadata"):
        await kv2.write("metadata/m", custom_metadata="a=b,c=d")


async def test_custom_metadata_length_limits(kv2: KV) -> None:
    await kv2.write("metadata/m", custom_metadata={"k" * 128: "v" * 512})
    key = "k" * 129
    with raises_exactly(
        InvalidRequest,
        "1 error occurred:\n\t* custom_metadata validation failed: length of key "
        f'"{key}" is 129 but must be 0 < len(key) <= 128\n\n',
    ):
        await kv2.write("metadata/m", custom_metadata={key: "x"})
    with raises_exactly(
        InvalidRequest,
        "1 error occurred:\n\t* custom_metadata validation failed: length of value for key "
        '"a" is 513 but must be 0 < len(value) <= 512\n\n',
    ):
        await kv2.write("metadata/m", custom_metadata={"a": "v" * 513})


async def test_custom_metadata_errors_are_collected(kv2: KV) -> None:
    with raises_exactly(
        InvalidRequest,
        "3 errors occurred:\n"
        '\t* custom_metadata validation failed: length of value for key "a" is 0 but must be '
        "0 < len(value) <= 512\n"
        '\t* custom_metadata validation failed: length of key "" is 0 but must be '
        "0 < len(key) <= 128\n"
        '\t* custom_metadata validation failed: length of value for key "" is 0 but must be '
        "0 < len(value) <= 512\n\n",
    ):
        await kv2.write("metadata/m", custom_metadata={"a": None, "": ""})


async def test_custom_metadata_lengths_are_utf8_bytes(kv2: KV) -> None:
    with pytest.raises(InvalidRequest, match="is 130 but must be"):
        await kv2.write("metadata/m", custom_metadata={"é" * 65: "x"})
    with pytest.raises(InvalidRequest, match="is 514 but must be"):
        await kv2.write("metadata/m", custom_metadata={"k": "é" * 257})


async def test_custom_metadata_key_count_limit(kv2: KV) -> None:
    await kv2.write("metadata/m", custom_metadata={f"k{i}": "v" for i in range(64)})
    too_many = {f"k{i}": "v" for i in range(65)}
    too_many["k0"] = ""  # the count error alone is reported
    with raises_exactly(
        InvalidRequest,
        "1 error occurred:\n\t* custom_metadata validation failed: payload must contain at "
        "most 64 keys, provided 65\n\n",
    ):
        await kv2.write("metadata/m", custom_metadata=too_many)


async def test_negative_delete_version_after_is_refused(kv2: KV) -> None:
    with raises_exactly(
        InvalidRequest,
        'error converting input for field "delete_version_after": '
        "cannot provide negative value '-1'",
    ):
        await kv2.write("metadata/m", delete_version_after="-1s")
    await kv2.write("metadata/m", max_versions=1)
    with raises_exactly(
        InvalidRequest,
        'Field validation failed: error converting input for field "delete_version_after": '
        "cannot provide negative value '-300'",
    ):
        await kv2.patch("metadata/m", delete_version_after="-5m")


@pytest.mark.parametrize(
    "body", [{"max_versions": "x"}, {"cas_required": "maybe"}, {"delete_version_after": "abc"}]
)
async def test_badly_typed_settings_are_refused(kv2: KV, body: dict[str, JSON]) -> None:
    with pytest.raises(InvalidRequest, match="error converting input"):
        await kv2.write("metadata/m", **body)


@pytest.mark.parametrize("path", ["metadata/", "metadata/dir/"])
async def test_metadata_write_to_a_trailing_slash_is_refused(kv2: KV, path: str) -> None:
    with raises_exactly(InvalidRequest, "cannot write to a path ending in '/'"):
        await kv2.write(path, max_versions=1)
    with raises_exactly(InvalidRequest, "cannot write to a path ending in '/'"):
        await kv2.patch(path, max_versions=1)


# metadata check-and-set ---------------------------------------------------------------------


async def test_metadata_cas(kv2: KV) -> None:
    with raises_exactly(InvalidRequest, "metadata_cas must be 0 when creating new metadata"):
        await kv2.write("metadata/mc", max_versions=3, metadata_cas=1)
    await kv2.write("metadata/mc", max_versions=3, metadata_cas=0)
    with raises_exactly(
        InvalidRequest, "metadata check-and-set parameter does not match the current version"
    ):
        await kv2.write("metadata/mc", max_versions=4, metadata_cas=0)
    await kv2.write("metadata/mc", max_versions=4, metadata_cas=1)
    await kv2.patch("metadata/mc", max_versions=5, metadata_cas=2)
    assert (await kv2.data("metadata/mc"))["current_metadata_version"] == 3


async def test_metadata_cas_zero_matches_a_key_created_by_a_data_write(kv2: KV) -> None:
    await kv2.put("k", {"a": 1})
    await kv2.write("metadata/k", max_versions=3, metadata_cas=0)
    assert (await kv2.data("metadata/k"))["current_metadata_version"] == 1


async def test_metadata_cas_required_by_the_key(kv2: KV) -> None:
    await kv2.write("metadata/mc", metadata_cas_required=True)
    for call in (kv2.write, kv2.patch):
        with raises_exactly(
            InvalidRequest, "metadata check-and-set parameter required for this call"
        ):
            await call("metadata/mc", max_versions=5)
    await kv2.patch("metadata/mc", max_versions=5, metadata_cas=1)
    await kv2.put("mc", {"a": 1})  # data writes do not need it
    meta = await kv2.data("metadata/mc")
    assert (meta["metadata_cas_required"], meta["current_metadata_version"]) == (True, 2)


async def test_metadata_cas_required_by_the_mount(kv2: KV) -> None:
    await kv2.write("config", metadata_cas_required=True)
    with raises_exactly(InvalidRequest, "metadata check-and-set parameter required for this call"):
        await kv2.write("metadata/new", max_versions=3)
    await kv2.write("metadata/new", max_versions=3, metadata_cas=0)
    await kv2.delete("metadata/new")  # deleting needs no metadata_cas
    assert await kv2.read("metadata/new") is None


# patch --------------------------------------------------------------------------------------


async def test_metadata_patch_merges(kv2: KV) -> None:
    await kv2.write("metadata/mp", custom_metadata={"a": "1", "b": "2"}, max_versions=3)
    kv2.clock.advance(1)
    patch = {"custom_metadata": {"a": None, "c": "3"}, "cas_required": True}
    assert await kv2.patch("metadata/mp", **patch) is None
    meta = await kv2.data("metadata/mp")
    assert meta["custom_metadata"] == {"b": "2", "c": "3"}
    assert (meta["cas_required"], meta["max_versions"]) == (True, 3)
    assert (meta["current_metadata_version"], meta["updated_time"]) == (2, T1)


async def test_metadata_patch_with_null_resets_a_field(kv2: KV) -> None:
    await kv2.write(
        "metadata/mp",
        custom_metadata={"a": "1"},
        max_versions=3,
        cas_required=True,
        delete_version_after="1h",
        metadata_cas_required=True,
    )
    await kv2.patch(
        "metadata/mp",
        custom_metadata=None,
        max_versions=None,
        cas_required=None,
        delete_version_after=None,
        metadata_cas_required=None,
        metadata_cas=1,
    )
    assert await kv2.data("metadata/mp") == _metadata(current_metadata_version=2)


async def test_metadata_patch_checks_the_merged_custom_metadata(kv2: KV) -> None:
    await kv2.write("metadata/mp", custom_metadata={f"k{i}": "v" for i in range(64)})
    with pytest.raises(InvalidRequest, match="at most 64 keys, provided 65"):
        await kv2.patch("metadata/mp", custom_metadata={"extra": "v"})
    await kv2.patch("metadata/mp", custom_metadata={"k0": None, "extra": "v"})
    with pytest.raises(InvalidRequest, match="expected type 'string'"):
        await kv2.patch("metadata/mp", custom_metadata={"x": {"y": 1}})


@pytest.mark.parametrize(("value", "kind"), [(1, "number"), (1.5, "number"), (True, "bool")])
async def test_metadata_patch_wants_string_values(kv2: KV, value: JSON, kind: str) -> None:
    # no weak decoding on PATCH; the first offender in key order is named (OpenBao: 500)
    await kv2.write("metadata/mp", custom_metadata={"a": "1"})
    with raises_exactly(
        InvalidRequest,
        f"1 error occurred:\n\t* json: cannot unmarshal {kind} into Go struct field "
        ".custom_metadata.c of type string\n\n",
    ):
        await kv2.patch("metadata/mp", custom_metadata={"x": "y", "d": value, "c": value})
    with raises_exactly(
        InvalidRequest,
        "custom_metadata validation failed: '' expected type 'string', got unconvertible "
        "type '[]interface {}'",
    ):
        await kv2.patch("metadata/mp", custom_metadata={"b": [1]})


async def test_metadata_patch_without_settable_fields_changes_nothing(kv2: KV) -> None:
    await kv2.write("metadata/mp", max_versions=3)
    before = await kv2.data("metadata/mp")
    for body in ({}, {"foo": 1}):
        response = await kv2.patch("metadata/mp", **body)
        assert response is None or response.data is None
    assert await kv2.data("metadata/mp") == before


async def test_metadata_patch_of_a_missing_key_is_an_empty_404(kv2: KV) -> None:
    assert await kv2.patch("metadata/nokey", max_versions=1) == Response(status=404)
    with pytest.raises(InvalidRequest, match="error converting input"):
        await kv2.patch("metadata/nokey", max_versions="x")


async def test_metadata_patch_refuses_negative_max_versions(kv2: KV) -> None:
    await kv2.write("metadata/mp", max_versions=3)
    with raises_exactly(
        InvalidRequest,
        "json: cannot unmarshal number -1 into Go struct field .max_versions of type uint32",
    ):
        await kv2.patch("metadata/mp", max_versions=-1)


# delete -------------------------------------------------------------------------------------


async def test_metadata_delete_removes_everything(kv2: KV) -> None:
    await kv2.put("dir/a", {"x": 1})
    await kv2.put("dir/a", {"x": 2})
    await kv2.write("destroy/dir/a", versions=[1])
    assert await kv2.delete("metadata/dir/a") is None
    assert await kv2.read("metadata/dir/a") is None
    assert await kv2.read("data/dir/a") is None
    assert await kv2.storage.list("") == []
    assert (await kv2.put("dir/a", {"x": 3}))["version"] == 1


@pytest.mark.parametrize("path", ["metadata/nothere", "metadata/"])
async def test_metadata_delete_of_nothing_is_a_no_op(kv2: KV, path: str) -> None:
    assert await kv2.delete(path) is None


@pytest.mark.parametrize("path", ["metadata/", "metadata/foo/", "metadata/nothere"])
async def test_metadata_read_of_nothing_is_none(kv2: KV, path: str) -> None:
    await kv2.put("foo", {"a": 1})
    assert await kv2.read(path) is None


async def test_metadata_existence(kv2: KV) -> None:
    assert await kv2.exists("metadata/m") is False
    await kv2.write("metadata/m", max_versions=1)
    assert await kv2.exists("metadata/m") is True
    assert await kv2.exists("metadata/") is False


async def test_metadata_renders_as_json(kv2: KV) -> None:
    await kv2.put("foo", {"a": 1})
    json.dumps(await kv2.data("metadata/foo"))
