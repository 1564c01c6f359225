"""kv v2 `data/<path>`: read, write (check-and-set), merge-patch and soft-delete, with the
shapes, statuses and texts observed on OpenBao 2.7."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from kv_harness import KV, T0, raises_exactly, version_meta

from strongroom.errors import InvalidRequest
from strongroom.logical import Response
from strongroom.storage import Entry, InmemStorage, TxnOp
from strongroom.types import JSON

T1 = "2027-01-15T08:00:01.5Z"
# vault-compat
MISMATCH = "check-and-set parameter did not match the current version"


async def test_write_answers_the_new_version_metadata(kv2: KV) -> None:
    response = await kv2.write("data/foo", data={"a": "b"})
    assert response == Response(data=version_meta(1))


async def test_read_answers_data_and_metadata(kv2: KV) -> None:
    await kv2.put("foo", {"a": "b"})
    response = await kv2.read("data/foo")
    assert response == Response(data={"data": {"a": "b"}, "metadata": version_meta(1)})


async def test_versions_count_up_and_each_stays_readable(kv2: KV) -> None:
    await kv2.put("foo", {"v": 1})
    kv2.clock.advance(1.5)
    assert await kv2.put("foo", {"v": 2}) == version_meta(2, created=T1)
    first = {"data": {"v": 1}, "metadata": version_meta(1)}
    assert await kv2.data("data/foo", version="1") == first
    latest = {"data": {"v": 2}, "metadata": version_meta(2, created=T1)}
    assert await kv2.data("data/foo") == latest
    assert await kv2.data("data/foo", version="0") == latest
    assert await kv2.data("data/foo", version="-1") == latest


@pytest.mark.parametrize("path", ["data/missing", "data/", "data/foo/", "data/foo/bar"])
async def test_read_of_nothing_is_none(kv2: KV, path: str) -> None:
    await kv2.put("foo", {"a": 1})
    assert await kv2.read(path) is None


async def test_read_of_a_version_never_written_is_none(kv2: KV) -> None:
    await kv2.put("foo", {"a": 1})
    assert await kv2.read("data/foo", version="2") is None


async def test_read_of_a_key_with_metadata_only_is_none(kv2: KV) -> None:
    await kv2.write("metadata/foo", max_versions=3)
    assert await kv2.read("data/foo") is None


async def test_bad_version_parameter_is_a_400(kv2: KV) -> None:
    with pytest.raises(InvalidRequest):
        await kv2.read("data/foo", version="abc")


async def test_data_null_and_empty_are_versions(kv2: KV) -> None:
    await kv2.put("foo", None)
    assert await kv2.data("data/foo") == {"data": None, "metadata": version_meta(1)}
    await kv2.put("foo", {})
    assert (await kv2.data("data/foo"))["data"] == {}


@pytest.mark.parametrize("body", [{}, {"a": "b"}, {"options": {"cas": 0}}])
async def test_write_without_data_is_refused(kv2: KV, body: dict[str, JSON]) -> None:
    with raises_exactly(InvalidRequest, "no data provided"):
        await kv2.write("data/foo", **body)


@pytest.mark.parametrize("body", [{"data": "str"}, {"data": [1]}, {"data": {}, "options": "x"}])
async def test_write_with_non_map_fields_is_refused(kv2: KV, body: dict[str, JSON]) -> None:
    with pytest.raises(InvalidRequest, match="error converting input"):
        await kv2.write("data/foo", **body)


@pytest.mark.parametrize("path", ["data/", "data/foo/"])
async def test_write_to_a_path_ending_in_slash_is_refused(kv2: KV, path: str) -> None:
    with raises_exactly(InvalidRequest, "cannot write to a path ending in '/'"):
        await kv2.write(path, data={"a": 1})
    with raises_exactly(InvalidRequest, "cannot write to a path ending in '/'"):
        await kv2.patch(path, data={"a": 1})


async def test_unknown_top_level_fields_are_warned_about(kv2: KV) -> None:
    response = await kv2.write("data/foo", data={"a": 1}, foo=1)
    assert response is not None
    assert response.data == version_meta(1)
    assert response.warnings == ("Endpoint ignored these unrecognized parameters: [foo]",)


async def test_other_options_are_ignored(kv2: KV) -> None:
    assert await kv2.put("foo", {"a": 1}, other=1) == version_meta(1)


# check-and-set ------------------------------------------------------------------------------


async def test_cas_must_match_the_current_version(kv2: KV) -> None:
    assert await kv2.put("foo", {"a": 1}, cas=0) == version_meta(1)
    assert (await kv2.put("foo", {"a": 2}, cas=1))["version"] == 2
    for stale in (0, 1, 3, -1):
        with raises_exactly(InvalidRequest, MISMATCH):
            await kv2.put("foo", {"a": 3}, cas=stale)


async def test_cas_other_than_zero_on_a_new_key_fails(kv2: KV) -> None:
    with raises_exactly(InvalidRequest, MISMATCH):
        await kv2.put("new", {"a": 1}, cas=5)
    assert await kv2.read("metadata/new") is None


@pytest.mark.parametrize(
    ("cas", "current"),
    [
        ("2", 2),
        ("0x2", 2),
        ("0b10", 2),
        ("0o2", 2),
        ("02", 2),
        ("+2", 2),
        (True, 1),
        (None, 0),
        ("", 0),
    ],
)
async def test_cas_weak_decoding(kv2: KV, cas: JSON, current: int) -> None:
    for _ in range(current):
        await kv2.put("foo", {"a": 1})
    assert (await kv2.put("foo", {"a": 1}, cas=cas))["version"] == current + 1


@pytest.mark.parametrize("cas", ["x", " 1", 2.5, 2.0, "08", [1], {"a": 1}, "1_0"])
async def test_cas_that_is_not_an_integer_is_refused(kv2: KV, cas: JSON) -> None:
    with raises_exactly(InvalidRequest, "error parsing check-and-set parameter"):
        await kv2.put("foo", {"a": 1}, cas=cas)


async def test_cas_required_by_the_mount(kv2: KV) -> None:
    await kv2.write("config", cas_required=True)
    for body in ({"data": {"a": 1}}, {"data": {"a": 1}, "options": {}}):
        with raises_exactly(InvalidRequest, "check-and-set parameter required for this call"):
            await kv2.write("data/foo", **body)
    assert (await kv2.put("foo", {"a": 1}, cas=0))["version"] == 1


async def test_cas_required_by_the_key(kv2: KV) -> None:
    await kv2.write("metadata/foo", cas_required=True)
    with raises_exactly(InvalidRequest, "check-and-set parameter required for this call"):
        await kv2.put("foo", {"a": 1})
    assert (await kv2.put("foo", {"a": 1}, cas=0))["version"] == 1
    await kv2.put("other", {"a": 1})  # other keys are unaffected


class YieldingStorage(InmemStorage):
    """Inmem storage that lets other tasks run inside every call, to expose races."""

    async def get(self, key: str) -> Entry | None:
        await asyncio.sleep(0)
        return await super().get(key)

    async def put(self, entry: Entry) -> None:
        await asyncio.sleep(0)
        await super().put(entry)

    async def transaction(self, ops: Sequence[TxnOp]) -> None:
        await asyncio.sleep(0)
        await super().transaction(ops)


async def test_concurrent_writes_with_the_same_cas_do_not_both_succeed(kv2: KV) -> None:
    kv2.storage = YieldingStorage()
    await kv2.put("foo", {"n": 0})

    async def attempt(n: int) -> str:
        try:
            await kv2.put("foo", {"n": n}, cas=1)
        except InvalidRequest as exc:
            return str(exc)
        return "ok"

    results = await asyncio.gather(*(attempt(n) for n in range(1, 6)))
    assert results.count("ok") == 1
    meta = await kv2.data("metadata/foo")
    assert meta["current_version"] == 2


async def test_concurrent_writes_without_cas_get_distinct_versions(kv2: KV) -> None:
    kv2.storage = YieldingStorage()
    results = await asyncio.gather(*(kv2.put("foo", {"n": n}) for n in range(5)))
    assert sorted(r["version"] for r in results) == [1, 2, 3, 4, 5]


# patch --------------------------------------------------------------------------------------


async def test_patch_merges_into_the_latest_version(kv2: KV) -> None:
    await kv2.put("foo", {"a": "1", "b": {"c": "2", "d": "3"}, "e": [1, 2]})
    response = await kv2.patch(
        "data/foo", data={"a": None, "b": {"c": "X"}, "f": "new", "e": None, "g": [1, {"k": None}]}
    )
    assert response == Response(data=version_meta(2))
    assert (await kv2.data("data/foo"))["data"] == {
        "b": {"c": "X", "d": "3"},
        "f": "new",
        "g": [1, {"k": None}],
    }


async def test_patch_with_an_empty_map_copies_the_latest_version(kv2: KV) -> None:
    await kv2.put("foo", {"a": "1"})
    await kv2.patch("data/foo", data={})
    assert await kv2.data("data/foo") == {"data": {"a": "1"}, "metadata": version_meta(2)}


async def test_patch_with_null_data_writes_a_null_version(kv2: KV) -> None:
    await kv2.put("foo", {"a": "1"})
    await kv2.patch("data/foo", data=None)
    assert (await kv2.data("data/foo"))["data"] is None
    # OpenBao fails such a patch with a 500; we answer 400 with its text
    with raises_exactly(InvalidRequest, "1 error occurred:\n\t* resource does not exist\n\n"):
        await kv2.patch("data/foo", data={"a": 1})


async def test_patch_checks_cas(kv2: KV) -> None:
    await kv2.put("foo", {"a": 1})
    with raises_exactly(InvalidRequest, MISMATCH):
        await kv2.patch("data/foo", data={"z": 1}, options={"cas": 2})
    with raises_exactly(InvalidRequest, "error parsing check-and-set parameter"):
        await kv2.patch("data/foo", data={"z": 1}, options={"cas": "x"})
    response = await kv2.patch("data/foo", data={"z": 1}, options={"cas": 1})
    assert response is not None and response.data == version_meta(2)


async def test_patch_honours_cas_required(kv2: KV) -> None:
    await kv2.write("metadata/foo", cas_required=True, custom_metadata={"o": "p"})
    await kv2.put("foo", {"a": 1}, cas=0)
    with raises_exactly(InvalidRequest, "check-and-set parameter required for this call"):
        await kv2.patch("data/foo", data={"b": 1})
    response = await kv2.patch("data/foo", data={"b": 1}, options={"cas": 1})
    assert response is not None
    assert response.data == version_meta(2, custom_metadata={"o": "p"})


async def test_patch_without_data_is_refused_before_existence(kv2: KV) -> None:
    for body in ({}, {"options": {"cas": "x"}}):
        with raises_exactly(InvalidRequest, "no data provided"):
            await kv2.patch("data/nokey", **body)
    with pytest.raises(InvalidRequest, match="error converting input"):
        await kv2.patch("data/nokey", data="x")


async def test_patch_of_a_missing_key_is_an_empty_404(kv2: KV) -> None:
    assert await kv2.patch("data/nokey", data={"a": 1}) == Response(status=404)
    # a missing key is reported before a cas mismatch
    assert await kv2.patch("data/nokey", data={"a": 1}, options={"cas": 5}) == Response(status=404)


async def test_patch_of_a_key_without_versions_is_an_empty_404(kv2: KV) -> None:
    await kv2.write("metadata/foo", max_versions=2)
    assert await kv2.patch("data/foo", data={"a": 1}) == Response(status=404)
    with raises_exactly(InvalidRequest, MISMATCH):
        await kv2.patch("data/foo", data={"a": 1}, options={"cas": 5})


async def test_patch_of_a_deleted_latest_version_is_a_404_with_its_metadata(kv2: KV) -> None:
    await kv2.put("foo", {"a": 1})
    await kv2.delete("data/foo")
    expected = Response(data=version_meta(1, deletion=T0), status=404)
    assert await kv2.patch("data/foo", data={"a": 2}) == expected
    with raises_exactly(InvalidRequest, MISMATCH):
        await kv2.patch("data/foo", data={"a": 2}, options={"cas": 9})


async def test_patch_of_a_destroyed_latest_version_is_a_404_with_its_metadata(kv2: KV) -> None:
    await kv2.put("foo", {"a": 1})
    await kv2.write("destroy/foo", versions=[1])
    expected = Response(data=version_meta(1, destroyed=True), status=404)
    assert await kv2.patch("data/foo", data={"a": 2}) == expected


# delete -------------------------------------------------------------------------------------


async def test_delete_soft_deletes_the_latest_version(kv2: KV) -> None:
    await kv2.put("foo", {"a": 1})
    await kv2.put("foo", {"a": 2})
    kv2.clock.advance(1.5)
    assert await kv2.delete("data/foo") is None
    response = await kv2.read("data/foo")
    # OpenBao: 404 *with* the envelope, data null and the version's metadata
    assert response == Response(
        data={"data": None, "metadata": version_meta(2, deletion=T1)}, status=404
    )
    assert (await kv2.data("data/foo", version="1"))["data"] == {"a": 1}


async def test_deleting_again_keeps_the_first_deletion_time(kv2: KV) -> None:
    await kv2.put("foo", {"a": 1})
    await kv2.delete("data/foo")
    kv2.clock.advance(10)
    await kv2.delete("data/foo")
    response = await kv2.read("data/foo")
    assert response is not None and response.data is not None
    assert response.data["metadata"]["deletion_time"] == T0


@pytest.mark.parametrize("path", ["data/nothere", "data/"])
async def test_delete_of_nothing_is_a_no_op(kv2: KV, path: str) -> None:
    assert await kv2.delete(path) is None
    assert await kv2.storage.list("") == []


async def test_delete_of_a_key_without_versions_changes_nothing(kv2: KV) -> None:
    await kv2.write("metadata/foo", max_versions=2)
    before = await kv2.data("metadata/foo")
    await kv2.delete("data/foo")
    assert await kv2.data("metadata/foo") == before


async def test_existence_follows_the_metadata(kv2: KV) -> None:
    assert await kv2.exists("data/foo") is False
    assert await kv2.exists("data/") is False
    await kv2.put("foo", {"a": 1})
    await kv2.delete("data/foo")
    assert await kv2.exists("data/foo") is True
    await kv2.write("metadata/only", max_versions=1)
    assert await kv2.exists("data/only") is True
    assert await kv2.exists("config") is None
