"""kv v2 listing: LIST `metadata/<path>` (with OpenBao's `after`/`limit` pagination) and
LIST `detailed-metadata/<path>`, as observed on OpenBao 2.7."""

from __future__ import annotations

import pytest
from kv_harness import KV

from strongroom.errors import InvalidRequest
from strongroom.logical import Response
from strongroom.types import JSON


async def _tree(kv: KV) -> None:
    for key in ("c1", "c2", "cm", "d1", "d2", "dir/a", "dir/sub/b"):
        await kv.put(key, {"x": 1})
    await kv.write("metadata/dir/onlymeta", max_versions=2)


async def test_list_keys_and_folders(kv2: KV) -> None:
    await _tree(kv2)
    root = await kv2.list("metadata/")
    assert root == Response(data={"keys": ["c1", "c2", "cm", "d1", "d2", "dir/"]})
    sub = await kv2.list("metadata/dir/")
    assert sub == Response(data={"keys": ["a", "onlymeta", "sub/"]})
    assert await kv2.list("metadata/dir") == sub


@pytest.mark.parametrize("path", ["metadata/nothere/", "metadata/dir/a/", "metadata/c1"])
async def test_list_of_nothing_is_none(kv2: KV, path: str) -> None:
    await _tree(kv2)
    assert await kv2.list(path) is None


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ({"limit": "3"}, ["c1", "c2", "cm"]),
        ({"limit": "3", "after": "c2"}, ["cm", "d1", "d2"]),
        ({"after": "dir"}, ["dir/"]),
        ({"after": "", "limit": "2"}, ["c1", "c2"]),
        ({"limit": "0"}, ["c1", "c2", "cm", "d1", "d2", "dir/"]),
        ({"limit": "-1"}, ["c1", "c2", "cm", "d1", "d2", "dir/"]),
    ],
)
async def test_list_pagination(kv2: KV, query: dict[str, JSON], keys: list[str]) -> None:
    await _tree(kv2)
    response = await kv2.list("metadata/", **query)
    assert response is not None and response.data == {"keys": keys}


async def test_list_past_the_end_is_none(kv2: KV) -> None:
    await _tree(kv2)
    assert await kv2.list("metadata/", after="zzz") is None


async def test_list_with_a_bad_limit_is_refused(kv2: KV) -> None:
    with pytest.raises(InvalidRequest, match="limit"):
        await kv2.list("metadata/", limit="x")


async def test_detailed_metadata_lists_with_key_info(kv2: KV) -> None:
    await _tree(kv2)
    response = await kv2.list("detailed-metadata/dir/")
    assert response is not None and response.data is not None
    assert list(response.data) == ["key_info", "keys"]
    assert response.data["keys"] == ["a", "onlymeta", "sub/"]
    info = response.data["key_info"]
    assert info["a"] == await kv2.data("metadata/dir/a")
    assert info["onlymeta"] == await kv2.data("metadata/dir/onlymeta")
    assert info["sub/"] == {}
    assert await kv2.list("detailed-metadata/dir") == response
    paged = await kv2.list("detailed-metadata/", after="d2", limit="1")
    assert paged is not None and paged.data == {"key_info": {"dir/": {}}, "keys": ["dir/"]}
    assert await kv2.list("detailed-metadata/nothere/") is None
