"""Longest-prefix routing."""

from __future__ import annotations

from strongroom.core.router import Route, Router
from strongroom.framework import Backend
from strongroom.logical.mounts import MountEntry
from strongroom.storage import InmemStorage


def _route(path: str) -> Route:
    return Route(
        mount=MountEntry.new(path, "kv"), backend=Backend(paths=[]), storage=InmemStorage()
    )


def test_longest_prefix_wins_and_bare_mount_name_routes() -> None:
    router = Router()
    for path in ("secret/", "secret/team/", "sys/"):
        router.mount(_route(path))
    match = router.match("secret/team/app")
    assert match is not None and (match[0].mount.path, match[1]) == ("secret/team/", "app")
    match = router.match("secret/other")
    assert match is not None and (match[0].mount.path, match[1]) == ("secret/", "other")
    match = router.match("secret")
    assert match is not None and (match[0].mount.path, match[1]) == ("secret/", "")
    assert router.match("secretive/x") is None
    assert router.match("nothing") is None
    assert router.unmount("secret/team/") is not None
    match = router.match("secret/team/app")
    assert match is not None and match[0].mount.path == "secret/"
