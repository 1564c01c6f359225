"""The request every layer speaks: one HTTP call becomes one `Request` (sdk/logical Request).

No I/O here. A request is frozen; pipeline steps derive new ones with `dataclasses.replace`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from strongroom.fast_init import fast_init
from strongroom.sensitive import SecretValue
from strongroom.storage import Storage
from strongroom.types import JSONDict


class Operation(enum.StrEnum):
    """Vault's logical operations (the values are Vault's wire names)."""

    CREATE = "create"
    READ = "read"
    UPDATE = "update"
    PATCH = "patch"
    DELETE = "delete"
    LIST = "list"
    HELP = "help"
    ALIAS_LOOKAHEAD = "alias-lookahead"
    RESOLVE_ROLE = "resolve-role"
    RENEW = "renew"
    REVOKE = "revoke"
    ROLLBACK = "rollback"


@fast_init
@dataclass(frozen=True, slots=True)
class Connection:
    """Where the request came from."""

    remote_addr: str = ""
    remote_port: int = 0
    tls: bool = False


@fast_init
@dataclass(frozen=True, slots=True)
class TokenInfo:
    """The resolved token a request runs as (filled in by the token step)."""

    accessor: str
    policies: tuple[str, ...]
    token_id: SecretValue = field(repr=False)
    entity_id: str = ""
    display_name: str = ""
    ttl: int = 0
    num_uses: int = 0
    entry_id: str = ""
    token_type: str = "service"
    metadata: Mapping[str, str] = field(default_factory=dict)
    parent: str = ""  # the parent token's entry id ("" for an orphan)
    expire_time: float = 0.0  # epoch seconds; 0 when it never expires

    @property
    def is_root(self) -> bool:
        return "root" in self.policies


@fast_init
@dataclass(frozen=True, slots=True)
class Request:
    """One logical request. `path` is relative to the mount once routed."""

    operation: Operation
    path: str
    id: str = ""
    data: JSONDict = field(default_factory=dict)
    client_token: SecretValue | None = field(default=None, repr=False)
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    connection: Connection = field(default_factory=Connection)
    mount_point: str = ""
    mount_type: str = ""
    mount_accessor: str = ""
    storage: Storage | None = field(default=None, repr=False, compare=False)
    token: TokenInfo | None = field(default=None, repr=False)
    wrap_ttl: int = 0
    unauthenticated: bool = False
    sudo: bool = False

    @property
    def full_path(self) -> str:
        """The path as the client sent it (mount point plus relative path)."""
        return self.mount_point + self.path


__all__ = ["Connection", "Operation", "Request", "TokenInfo"]
