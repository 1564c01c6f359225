"""The stored user (`user/<name>` in the mount's storage view) and its read rendering.

Owns the storage layout and the JSON a read returns. The password hash is kept in storage
only: it has no repr and the rendering never includes it. No hashing and no request parsing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import orjson

from strongroom.auth._tokenutil import TokenParams
from strongroom.errors import InternalError
from strongroom.logical import Request
from strongroom.storage import Entry, Storage
from strongroom.types import JSONDict

USER_PREFIX = "user/"

# vault-compat: deprecated alias -> the token field it stands for. OpenBao shows the alias in
# a read while the client's last write of that setting used the alias.
DEPRECATED_ALIASES: dict[str, str] = {
    "policies": "token_policies",
    "bound_cidrs": "token_bound_cidrs",
    "ttl": "token_ttl",
    "max_ttl": "token_max_ttl",
}

_TOKEN_PARAM_NAMES = frozenset(f.name for f in fields(TokenParams))


@dataclass(frozen=True, slots=True)
class UserEntry:
    """One userpass user: a bcrypt hash, token settings and which deprecated aliases are in
    use. The username is the storage key, not a field."""

    password_hash: str = field(repr=False)
    token: TokenParams = field(default_factory=TokenParams)
    strictly_bind_ip: bool = False
    deprecated: frozenset[str] = frozenset()

    def render(self) -> JSONDict:
        """The body of `users/:username` READ: the token fields, never the hash."""
        body = self.token.to_json()
        body["token_strictly_bind_ip"] = self.strictly_bind_ip
        for alias in sorted(self.deprecated):
            value = body[DEPRECATED_ALIASES[alias]]
            if value:
                body[alias] = value
        return body

    def to_bytes(self) -> bytes:
        return orjson.dumps(
            {
                "password_hash": self.password_hash,
                "token": self.token.to_json(),
                "token_strictly_bind_ip": self.strictly_bind_ip,
                "deprecated": sorted(self.deprecated),
            }
        )

    @staticmethod
    def from_bytes(raw: bytes) -> UserEntry:
        stored = orjson.loads(raw)
        token: JSONDict = {
            k: tuple(v) if isinstance(v, list) else v
            for k, v in stored.get("token", {}).items()
            if k in _TOKEN_PARAM_NAMES
        }
        return UserEntry(
            password_hash=str(stored["password_hash"]),
            token=TokenParams(**token),
            strictly_bind_ip=bool(stored.get("token_strictly_bind_ip", False)),
            deprecated=frozenset(stored.get("deprecated", ())) & DEPRECATED_ALIASES.keys(),
        )


def storage_of(request: Request) -> Storage:
    """The mount's storage view; the core always sets it on routed requests."""
    if request.storage is None:
        raise InternalError("userpass: request has no storage view")
    return request.storage


async def load_user(storage: Storage, username: str) -> UserEntry | None:
    """The user, or None. `username` is already lowercased."""
    entry = await storage.get(USER_PREFIX + username)
    return None if entry is None else UserEntry.from_bytes(entry.value)


async def save_user(storage: Storage, username: str, user: UserEntry) -> None:
    await storage.put(Entry(USER_PREFIX + username, user.to_bytes()))


async def delete_user(storage: Storage, username: str) -> None:
    await storage.delete(USER_PREFIX + username)


async def list_users(storage: Storage) -> list[str]:
    return await storage.list(USER_PREFIX)


__all__ = [
    "DEPRECATED_ALIASES",
    "USER_PREFIX",
    "UserEntry",
    "delete_user",
    "list_users",
    "load_user",
    "save_user",
    "storage_of",
]
