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


@dataclass(frozen=True, slots=True)
class SpecialPaths:
    """Paths with special treatment: `root` needs sudo, `unauthenticated` needs no token.
    An entry ending in `*` is a prefix."""

    root: tuple[str, ...] = ()
    unauthenticated: tuple[str, ...] = ()

    def is_root(self, path: str) -> bool:
        return _matches_any(self.root, path)

    def is_unauthenticated(self, path: str) -> bool:
        return _matches_any(self.unauthenticated, path)


def _matches_any(patterns: Sequence[str], path: str) -> bool:
    for pattern in patterns:
        if pattern.endswith("*"):
            if path.startswith(pattern[:-1]):
                return True
        elif path == pattern:
            return True
    return False


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

    def route(self, path: str) -> tuple[Path, dict[str, str]] | None:
        """The first path whose pattern matches, with its captures."""
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
        ignored = [] if path.take_unknown_fields else data.unknown_fields()
        ignored = [k for k in ignored if k not in captures]
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
