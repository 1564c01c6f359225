"""Longest-prefix routing of request paths to mounted backends."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.framework import Backend
from strongroom.logical.mounts import MountEntry
from strongroom.storage import Storage


@dataclass(frozen=True, slots=True)
class Route:
    """A mounted backend with its storage view."""

    mount: MountEntry
    backend: Backend
    storage: Storage


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
        for prefix in self._ordered:
            if path.startswith(prefix):
                return self._routes[prefix], path[len(prefix) :]
            if path + "/" == prefix:
                return self._routes[prefix], ""
        return None


__all__ = ["Route", "Router"]
