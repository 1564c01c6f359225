"""`Backend`: a secrets engine or auth method as a list of `Path` values (sdk/framework Backend).

`handle` matches the request path, checks the operation, coerces fields and calls the handler.
It does no I/O of its own: handlers get the mount's storage view on `request.storage`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from strongroom.errors import ERR_UNSUPPORTED_PATH, NotFound, UnsupportedOperation
from strongroom.framework.field_data import FieldData
from strongroom.framework.path import Handler, Path
from strongroom.logical import Operation, Request, Response
from strongroom.storage import Storage

# vault-compat: framework warning for ignored parameters
_IGNORED = "Endpoint ignored these unrecognized parameters: [{}]"
# How many request paths each backend remembers the route of (oldest dropped first).
ROUTE_CACHE_SIZE = 4096


class _PathSet:
    """Exact paths and `*` prefixes, split once so that a check is a set lookup and one
    `startswith` (the pipeline asks on every request)."""

    __slots__ = ("_exact", "_prefixes")

    def __init__(self, patterns: Sequence[str]) -> None:
        self._exact = frozenset(p for p in patterns if not p.endswith("*"))
        self._prefixes = tuple(p[:-1] for p in patterns if p.endswith("*"))

    def __contains__(self, path: str) -> bool:
        return path in self._exact or (bool(self._prefixes) and path.startswith(self._prefixes))


@dataclass(frozen=True, slots=True)
class SpecialPaths:
    """Paths with special treatment: `root` needs sudo, `unauthenticated` needs no token.
    An entry ending in `*` is a prefix."""

    root: tuple[str, ...] = ()
    unauthenticated: tuple[str, ...] = ()
    _root: _PathSet = field(init=False, repr=False, compare=False)
    _unauthenticated: _PathSet = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_root", _PathSet(self.root))
        object.__setattr__(self, "_unauthenticated", _PathSet(self.unauthenticated))

    def is_root(self, path: str) -> bool:
        return path in self._root

    def is_unauthenticated(self, path: str) -> bool:
        return path in self._unauthenticated


# The key of a leased secret's internal data that names its SecretType in `Backend.secrets`.
SECRET_TYPE_KEY = "secret_type"


@dataclass(frozen=True, slots=True)
class SecretType:
    """A kind of leased secret a backend issues (Vault's framework.Secret): how to revoke it
    when its lease ends and, if renewable, how to renew it. The handlers get a request whose
    `data` is the secret's internal data."""

    name: str
    revoke: Handler
    renew: Handler | None = None


@dataclass
class Backend:
    """A logical backend assembled from paths."""

    paths: Sequence[Path]
    help: str = ""
    backend_type: str = "logical"
    special_paths: SpecialPaths = field(default_factory=SpecialPaths)
    secrets: Mapping[str, SecretType] = field(default_factory=dict)
    invalidate: Callable[[str], None] | None = None
    clean: Callable[[], Awaitable[None]] | None = None
    # Vault's PeriodicFunc: background work on the mount's storage (e.g. key auto-rotation),
    # run by the core about every `periodic_interval` seconds while unsealed.
    periodic: Callable[[Storage], Awaitable[None]] | None = None
    periodic_interval: float = 60.0
    # Auth methods: re-check a login token before it is renewed (Vault's auth renew
    # handler); called with the mount's storage, the token's metadata and policies, and
    # raises to refuse the renewal.
    renew_auth: Callable[[Storage, Mapping[str, str], tuple[str, ...]], Awaitable[None]] | None = (
        None
    )

    # Request path -> route (or None), memoised: `route` is a pure function of the path and
    # `paths`, and runs twice for a write with an existence check. Not dataclass fields.
    _routes: dict[str, tuple[Path, dict[str, str]] | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _routed_paths: Sequence[Path] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def route(self, path: str) -> tuple[Path, dict[str, str]] | None:
        """The first path whose pattern matches, with its captures (treat them as read-only:
        the result is remembered for the next request to the same path)."""
        routes = self._routes
        if self._routed_paths is not self.paths:  # first use, or `paths` was replaced
            routes.clear()
            self._routed_paths = self.paths
        elif path in routes:
            return routes[path]
        routed = self._match(path)
        if len(routes) >= ROUTE_CACHE_SIZE:
            del routes[next(iter(routes))]
        routes[path] = routed
        return routed

    def _match(self, path: str) -> tuple[Path, dict[str, str]] | None:
        for candidate in self.paths:
            match: re.Match[str] | None = candidate.regex.match(path)
            if match is not None:
                return candidate, {k: v for k, v in match.groupdict().items() if v is not None}
        return None

    async def handle(self, request: Request) -> Response | None:
        """Run the request's operation on its path."""
        routed = self.route(request.path)
        if routed is None:
            raise NotFound(ERR_UNSUPPORTED_PATH)
        path, captures = routed
        spec = path.spec(request.operation)
        if spec is None and request.operation is Operation.CREATE:
            spec = path.spec(Operation.UPDATE)
        if spec is None:
            raise UnsupportedOperation()
        data = path.field_data(request, captures)
        data.validate()
        response = await spec.handler(request, data)
        if path.take_unknown_fields or not request.data:
            return response  # nothing sent but the captures, which are declared or ignored
        ignored = [k for k in data.unknown_fields() if k not in captures]
        if ignored and _has_content(response):
            # vault-compat: OpenBao warns only on a response that carries something
            warning = _IGNORED.format(" ".join(ignored))
            response = replace(response or Response(), warnings=(*_warnings(response), warning))
        return response

    async def exists(self, request: Request) -> bool | None:
        """Run the path's existence check: None when the path has none (no create/update
        distinction), else whether the target exists."""
        routed = self.route(request.path)
        if routed is None:
            return None
        path, captures = routed
        if path.exists is None:
            return None
        data: FieldData = path.field_data(request, captures)
        data.check()  # vault-compat: so a bad value's error has no "Field validation" prefix
        return await path.exists(request, data)


def _has_content(response: Response | None) -> bool:
    return response is not None and (
        response.data is not None
        or response.auth is not None
        or response.secret is not None
        or bool(response.warnings)
    )


def _warnings(response: Response | None) -> tuple[str, ...]:
    return () if response is None else response.warnings


__all__ = ["SECRET_TYPE_KEY", "Backend", "SecretType", "SpecialPaths"]
