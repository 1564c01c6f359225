"""Longest-prefix routing of request paths to mounted backends."""

from __future__ import annotations

from dataclasses import dataclass, field

from strongroom.framework import Backend
from strongroom.logical.mounts import MountEntry
from strongroom.storage import Storage


@dataclass(frozen=True, slots=True)
class Route:
    """A mounted backend with its storage view."""

    mount: MountEntry
    backend: Backend
    storage: Storage
    # `mount.route_path`, worked out once rather than on every request.
    mount_point: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mount_point", self.mount.route_path)


class Router:
    """Mount points to routes; the longest matching prefix wins."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._ordered: list[str] = []

    def mount(self, route: Route) -> None:
        self._routes[route.mount.route_path] = route
        self._ordered = sorted(self._routes, key=len, reverse=True)

    def unmount(self, path: str) -> Route | None:
        route = self._routes.pop(path, None)
        self._ordered = sorted(self._routes, key=len, reverse=True)
        return route

    def routes(self) -> list[Route]:
        return [self._routes[p] for p in sorted(self._routes)]

    def match(self, path: str) -> tuple[Route, str] | None:
        """(route, path relative to the mount) for `path`, or None.

        `secret` (no slash) routes to the `secret/` mount with an empty path, as in Vault.
        """
        # A mount point one "/" longer than `path` is longer than any prefix of `path`, so
        # it would be met first in the longest-first walk below.
        exact = self._routes.get(path + "/")
        if exact is not None:
            return exact, ""
        for prefix in self._ordered:
            if path.startswith(prefix):
                return self._routes[prefix], path[len(prefix) :]
        return None


__all__ = ["Route", "Router"]
