"""kv v1: unversioned secrets at any path, with shapes and texts observed on OpenBao 2.7."""

from __future__ import annotations

import pytest
from kv_harness import KV, raises_exactly

from strongroom.engines.kv import kv_backend, kv_version
from strongroom.engines.kv.path_passthrough import lease_hint
from strongroom.errors import InvalidRequest, UnsupportedOperation
from strongroom.logical import Operation, Secret
from strongroom.testing.clock import FakeClock
from strongroom.types import JSON


async def test_write_then_read_returns_the_body_as_data(kv1: KV) -> None:
    secret = {"a": "b", "n": 1, "nested": {"x": [1, 2]}}
    assert await kv1.write("foo", **secret) is None
    response = await kv1.read("foo")
    assert response is not None
    assert response.data == secret
    assert response.status is None
    assert response.warnings == ()
    # no usable lease hint: ttl 0 asks the core for the mount default (2764800 on OpenBao)
    assert response.secret == Secret(ttl=0, renewable=False)


async def test_every_field_is_taken_even_one_named_like_the_capture(kv1: KV) -> None:
    await kv1.write("foo", path="not-the-key", other=True)
    assert await kv1.data("foo") == {"path": "not-the-key", "other": True}


async def test_write_replaces_the_whole_secret(kv1: KV) -> None:
    await kv1.write("foo", a=1, b=2)
    await kv1.write("foo", c=3)
    assert await kv1.data("foo") == {"c": 3}


async def test_read_of_a_missing_path_is_none(kv1: KV) -> None:
    assert await kv1.read("missing") is None
    assert await kv1.read("") is None
    assert await kv1.read("dir/") is None


async def test_empty_body_is_missing_data_fields(kv1: KV) -> None:
    with raises_exactly(InvalidRequest, "missing data fields"):
        await kv1.write("foo")


@pytest.mark.parametrize("path", ["", "dir/", "a/b/"])
async def test_write_to_a_path_ending_in_slash_is_refused(kv1: KV, path: str) -> None:
    with raises_exactly(InvalidRequest, "cannot write to a path ending in '/'"):
        await kv1.write(path, a=1)


async def test_delete_removes_and_is_idempotent(kv1: KV) -> None:
    await kv1.write("foo", a=1)
    assert await kv1.delete("foo") is None
    assert await kv1.read("foo") is None
    assert await kv1.delete("foo") is None


async def test_list_gives_children_with_folders_once(kv1: KV) -> None:
    await kv1.write("foo", a=1)
    await kv1.write("dir/sub", x="y")
    await kv1.write("dir/deeper/leaf", x="y")
    root = await kv1.list("")
    assert root is not None and root.data == {"keys": ["dir/", "foo"]}
    sub = await kv1.list("dir/")
    assert sub is not None and sub.data == {"keys": ["deeper/", "sub"]}
    no_slash = await kv1.list("dir")
    assert no_slash is not None and no_slash.data == {"keys": ["deeper/", "sub"]}


async def test_list_of_an_empty_folder_is_none(kv1: KV) -> None:
    assert await kv1.list("nothing/") is None


async def test_patch_is_unsupported(kv1: KV) -> None:
    await kv1.write("foo", a=1)
    with pytest.raises(UnsupportedOperation):
        await kv1.patch("foo", a=2)


async def test_existence_check_follows_the_stored_secret(kv1: KV) -> None:
    assert await kv1.exists("foo") is False
    await kv1.write("foo", a=1)
    assert await kv1.exists("foo") is True
    assert await kv1.exists("") is False


@pytest.mark.parametrize(
    ("secret", "ttl"),
    [
        ({"ttl": "1h", "x": "y"}, 3600),
        ({"ttl": 60}, 60),
        ({"ttl": "30"}, 30),
        ({"ttl": "1.5h"}, 5400),
        ({"ttl": -5}, -5),
        ({"ttl": "0"}, 0),
        ({"lease": "2h"}, 7200),
        ({"lease": "2h", "ttl": "1h"}, 3600),
        ({"lease": "abc", "ttl": "1h"}, 3600),
        ({"ttl": "1000h"}, 3_600_000),
    ],
)
async def test_ttl_field_is_a_lease_hint(kv1: KV, secret: dict[str, JSON], ttl: int) -> None:
    await kv1.write("s", **secret)
    response = await kv1.read("s")
    assert response is not None
    assert response.secret == Secret(ttl=ttl)
    assert response.data == secret


@pytest.mark.parametrize(
    ("secret", "hint"),
    [
        ({"x": 1}, None),
        ({"ttl": "abc"}, None),
        ({"ttl": "abc", "lease": "2h"}, None),  # ttl wins even when unusable
        ({"ttl": 1.5}, None),
        ({"ttl": 3.0}, None),
        ({"ttl": True}, None),
        ({"ttl": [1]}, None),
        ({"ttl": None}, 0),
        ({"ttl": ""}, 0),
    ],
)
def test_lease_hint_parsing(secret: dict[str, JSON], hint: int | None) -> None:
    assert lease_hint(secret) == hint


@pytest.mark.parametrize(
    ("options", "version"),
    [({}, 1), ({"version": ""}, 1), ({"version": "1"}, 1), ({"version": "2"}, 2)],
)
def test_mount_option_version(options: dict[str, str], version: int) -> None:
    assert kv_version(options) == version


@pytest.mark.parametrize("bad", ["0", "3", "abc", " 2"])
def test_unknown_version_is_refused(bad: str, clock: FakeClock) -> None:
    with raises_exactly(InvalidRequest, 'nil backend of type "kv" returned from factory'):
        kv_backend({"version": bad}, clock=clock)


async def test_v1_has_one_path_with_help(kv1: KV) -> None:
    (path,) = kv1.backend.paths
    assert path.synopsis.startswith("Pass-through secret storage")
    assert set(path.operations) == {
        Operation.READ,
        Operation.UPDATE,
        Operation.DELETE,
        Operation.LIST,
    }
