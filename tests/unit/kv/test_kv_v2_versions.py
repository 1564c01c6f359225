"""kv v2 version lifecycle: delete/, undelete/, destroy/, max_versions trimming and
delete_version_after expiry (driven by the FakeClock), as observed on OpenBao 2.7."""

from __future__ import annotations

import pytest
from kv_harness import KV, T0, raises_exactly, version_meta

from strongroom.engines.kv._store import version_key
from strongroom.errors import InvalidRequest
from strongroom.logical import Response
from strongroom.types import JSON

T1 = "2027-01-15T08:00:01Z"
T2 = "2027-01-15T08:00:02Z"


async def _versions(kv: KV, key: str) -> JSON:
    return (await kv.data("metadata/" + key))["versions"]


async def _write_n(kv: KV, key: str, count: int) -> None:
    for n in range(1, count + 1):
        await kv.put(key, {"n": n})


# delete/ ------------------------------------------------------------------------------------


async def test_delete_marks_the_listed_versions(kv2: KV) -> None:
    await _write_n(kv2, "foo", 3)
    kv2.clock.advance(1)
    assert await kv2.write("delete/foo", versions=[1, 2, 99, 0, -1]) is None
    versions = await _versions(kv2, "foo")
    assert versions["1"] == {"created_time": T0, "deletion_time": T1, "destroyed": False}
    assert versions["2"]["deletion_time"] == T1
    assert versions["3"]["deletion_time"] == ""
    response = await kv2.read("data/foo", version="1")
    assert response == Response(
        data={"data": None, "metadata": version_meta(1, deletion=T1)}, status=404
    )


async def test_versions_may_be_a_comma_string(kv2: KV) -> None:
    await _write_n(kv2, "foo", 4)
    await kv2.write("delete/foo", versions="3,4")
    versions = await _versions(kv2, "foo")
    assert [versions[n]["deletion_time"] for n in "1234"] == ["", "", T0, T0]


@pytest.mark.parametrize("endpoint", ["delete", "undelete"])
@pytest.mark.parametrize("body", [{}, {"versions": []}])
async def test_delete_and_undelete_need_versions(
    kv2: KV, endpoint: str, body: dict[str, JSON]
) -> None:
    with raises_exactly(InvalidRequest, "No version number provided"):
        await kv2.write(f"{endpoint}/foo", **body)


@pytest.mark.parametrize("body", [{}, {"versions": []}])
async def test_destroy_needs_versions_lowercase(kv2: KV, body: dict[str, JSON]) -> None:
    with raises_exactly(InvalidRequest, "no version number provided"):
        await kv2.write("destroy/foo", **body)


async def test_versions_that_are_not_integers_are_refused(kv2: KV) -> None:
    with pytest.raises(InvalidRequest, match="versions"):
        await kv2.write("delete/foo", versions="abc")


@pytest.mark.parametrize("endpoint", ["delete", "undelete", "destroy"])
async def test_version_changes_on_a_missing_key_are_no_ops(kv2: KV, endpoint: str) -> None:
    assert await kv2.write(f"{endpoint}/nothere", versions=[1]) is None
    assert await kv2.storage.list("") == []


@pytest.mark.parametrize("endpoint", ["delete", "undelete", "destroy"])
async def test_version_endpoints_refuse_a_trailing_slash(kv2: KV, endpoint: str) -> None:
    with raises_exactly(InvalidRequest, "cannot write to a path ending in '/'"):
        await kv2.write(f"{endpoint}/", versions=[1])


async def test_delete_keeps_the_first_deletion_time(kv2: KV) -> None:
    await kv2.put("foo", {"a": 1})
    await kv2.write("delete/foo", versions=[1])
    kv2.clock.advance(5)
    await kv2.write("delete/foo", versions=[1])
    assert (await _versions(kv2, "foo"))["1"]["deletion_time"] == T0


# undelete/ ----------------------------------------------------------------------------------


async def test_undelete_restores(kv2: KV) -> None:
    await _write_n(kv2, "foo", 2)
    await kv2.delete("data/foo")
    await kv2.write("undelete/foo", versions=[2, 7])
    assert await kv2.data("data/foo") == {"data": {"n": 2}, "metadata": version_meta(2)}


async def test_undelete_does_not_bring_back_destroyed_data(kv2: KV) -> None:
    await kv2.put("foo", {"a": 1})
    await kv2.write("delete/foo", versions=[1])
    await kv2.write("destroy/foo", versions=[1])
    await kv2.write("undelete/foo", versions=[1])
    response = await kv2.read("data/foo")
    assert response == Response(
        data={"data": None, "metadata": version_meta(1, deletion=T0, destroyed=True)},
        status=404,
    )


# destroy/ -----------------------------------------------------------------------------------


async def test_destroy_removes_the_data_and_keeps_the_metadata(kv2: KV) -> None:
    await _write_n(kv2, "foo", 2)
    assert await kv2.storage.get(version_key("foo", 1)) is not None
    await kv2.write("destroy/foo", versions=[1])
    assert await kv2.storage.get(version_key("foo", 1)) is None
    assert await kv2.storage.get(version_key("foo", 2)) is not None
    versions = await _versions(kv2, "foo")
    assert versions["1"] == {"created_time": T0, "deletion_time": "", "destroyed": True}
    response = await kv2.read("data/foo", version="1")
    assert response == Response(
        data={"data": None, "metadata": version_meta(1, destroyed=True)}, status=404
    )


async def test_destroy_keeps_a_deletion_time_and_delete_ignores_destroyed(kv2: KV) -> None:
    await _write_n(kv2, "foo", 2)
    await kv2.write("delete/foo", versions=[1])
    kv2.clock.advance(1)
    await kv2.write("destroy/foo", versions=[1, 2])
    await kv2.write("delete/foo", versions=[2])
    await kv2.delete("data/foo")
    versions = await _versions(kv2, "foo")
    assert versions["1"] == {"created_time": T0, "deletion_time": T0, "destroyed": True}
    assert versions["2"] == {"created_time": T0, "deletion_time": "", "destroyed": True}


async def test_version_changes_do_not_touch_update_time_or_metadata_version(kv2: KV) -> None:
    await _write_n(kv2, "foo", 2)
    before = await kv2.data("metadata/foo")
    kv2.clock.advance(3)
    await kv2.write("delete/foo", versions=[1])
    await kv2.write("undelete/foo", versions=[1])
    await kv2.write("destroy/foo", versions=[2])
    after = await kv2.data("metadata/foo")
    assert after["updated_time"] == before["updated_time"]
    assert after["current_metadata_version"] == before["current_metadata_version"] == 0


# max_versions -------------------------------------------------------------------------------


async def test_key_max_versions_trims_the_oldest_on_write(kv2: KV) -> None:
    await kv2.write("metadata/mv", max_versions=2)
    await _write_n(kv2, "mv", 4)
    meta = await kv2.data("metadata/mv")
    assert (meta["current_version"], meta["oldest_version"]) == (4, 3)
    assert sorted(meta["versions"]) == ["3", "4"]
    assert await kv2.read("data/mv", version="1") is None
    assert await kv2.read("data/mv", version="2") is None
    assert await kv2.storage.get(version_key("mv", 2)) is None
    # undelete of a trimmed version does nothing
    await kv2.write("undelete/mv", versions=[1])
    assert sorted(await _versions(kv2, "mv")) == ["3", "4"]


async def test_lowering_max_versions_trims_on_the_next_write_only(kv2: KV) -> None:
    await kv2.write("metadata/mv", max_versions=3)
    await _write_n(kv2, "mv", 3)
    await kv2.write("metadata/mv", max_versions=1)
    assert sorted(await _versions(kv2, "mv")) == ["1", "2", "3"]
    await kv2.put("mv", {"n": 4})
    meta = await kv2.data("metadata/mv")
    assert (sorted(meta["versions"]), meta["oldest_version"]) == (["4"], 4)
    await kv2.write("metadata/mv", max_versions=5)
    assert (await kv2.data("metadata/mv"))["oldest_version"] == 4


async def test_mount_max_versions_applies_unless_the_key_overrides(kv2: KV) -> None:
    await kv2.write("config", max_versions=2)
    await _write_n(kv2, "a", 3)
    assert (await kv2.data("metadata/a"))["oldest_version"] == 2
    await kv2.write("metadata/b", max_versions=3)
    await _write_n(kv2, "b", 4)
    assert sorted(await _versions(kv2, "b")) == ["2", "3", "4"]


async def test_default_keeps_ten_versions(kv2: KV) -> None:
    await _write_n(kv2, "foo", 12)
    meta = await kv2.data("metadata/foo")
    assert meta["oldest_version"] == 3
    assert sorted(meta["versions"], key=int) == [str(n) for n in range(3, 13)]
    # Go sorts map keys as strings
    assert list(meta["versions"])[:2] == ["10", "11"]


async def test_oldest_version_stays_zero_until_something_is_trimmed(kv2: KV) -> None:
    await _write_n(kv2, "foo", 3)
    assert (await kv2.data("metadata/foo"))["oldest_version"] == 0


async def test_max_versions_minus_one_keeps_everything(kv2: KV) -> None:
    await kv2.write("metadata/foo", max_versions=-1)
    assert (await kv2.data("metadata/foo"))["max_versions"] == 4294967295
    await _write_n(kv2, "foo", 12)
    assert len(await _versions(kv2, "foo")) == 12


# delete_version_after -----------------------------------------------------------------------


async def test_versions_expire_after_delete_version_after(kv2: KV) -> None:
    await kv2.write("metadata/exp", delete_version_after="2s")
    written = await kv2.put("exp", {"x": 1})
    assert written == version_meta(1, deletion=T2)
    kv2.clock.advance(1.999)
    assert (await kv2.data("data/exp"))["data"] == {"x": 1}
    kv2.clock.advance(0.001)
    response = await kv2.read("data/exp")
    assert response == Response(
        data={"data": None, "metadata": version_meta(1, deletion=T2)}, status=404
    )
    sub = await kv2.read("subkeys/exp")
    assert sub is not None and sub.status == 404


async def test_delete_of_an_expired_version_keeps_its_expiry(kv2: KV) -> None:
    await kv2.write("metadata/exp", delete_version_after="2s")
    await kv2.put("exp", {"x": 1})
    kv2.clock.advance(3)
    await kv2.write("delete/exp", versions=[1])
    assert (await _versions(kv2, "exp"))["1"]["deletion_time"] == T2


async def test_delete_of_a_pending_expiry_deletes_now(kv2: KV) -> None:
    await kv2.write("metadata/exp", delete_version_after="1h")
    await kv2.put("exp", {"x": 1})
    kv2.clock.advance(1)
    await kv2.delete("data/exp")
    assert (await _versions(kv2, "exp"))["1"]["deletion_time"] == T1


async def test_undelete_restarts_the_expiry_clock(kv2: KV) -> None:
    await kv2.write("metadata/exp", delete_version_after="2s")
    await kv2.put("exp", {"x": 1})
    kv2.clock.advance(5)
    await kv2.write("undelete/exp", versions=[1])
    expected = {"data": {"x": 1}, "metadata": version_meta(1, deletion="2027-01-15T08:00:07Z")}
    assert await kv2.data("data/exp") == expected


async def test_undelete_without_expiry_clears_the_deletion_time(kv2: KV) -> None:
    await kv2.put("foo", {"x": 1})
    await kv2.delete("data/foo")
    await kv2.write("undelete/foo", versions=[1])
    assert (await _versions(kv2, "foo"))["1"]["deletion_time"] == ""


@pytest.mark.parametrize(
    ("mount", "key", "deletion"),
    [
        ("1h", "2h", "2027-01-15T09:00:00Z"),  # the mount caps the key
        ("1h", "30m", "2027-01-15T08:30:00Z"),  # the shorter wins
        ("1h", None, "2027-01-15T09:00:00Z"),  # the mount's alone
        ("0s", "2h", "2027-01-15T10:00:00Z"),  # the key's alone
        ("-1s", "30m", ""),  # a negative mount value disables expiry
        ("0s", None, ""),
    ],
)
async def test_effective_delete_version_after(
    kv2: KV, mount: str, key: str | None, deletion: str
) -> None:
    await kv2.write("config", delete_version_after=mount)
    if key is not None:
        await kv2.write("metadata/k", delete_version_after=key)
    assert (await kv2.put("k", {"a": 1}))["deletion_time"] == deletion


async def test_destroying_twice_changes_nothing_more(kv2: KV) -> None:
    await kv2.put("foo", {"a": 1})
    await kv2.write("destroy/foo", versions=[1])
    before = await kv2.data("metadata/foo")
    await kv2.write("destroy/foo", versions=[1])
    assert await kv2.data("metadata/foo") == before


async def test_a_version_whose_data_vanished_reads_as_missing(kv2: KV) -> None:
    # what a read racing a trim or destroy sees between its two storage reads
    await kv2.put("foo", {"a": 1})
    await kv2.storage.delete(version_key("foo", 1))
    assert await kv2.read("data/foo") is None
    assert await kv2.patch("data/foo", data={"b": 1}) == Response(status=404)
