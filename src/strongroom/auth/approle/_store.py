"""AppRole's storage layout inside the mount's view. Owns key names and (de)serialisation;
knows nothing about HTTP fields.

    salt                              32 random bytes: the mount's HMAC key
    role/<name>                       Role JSON
    role_id/<hmac(role_id)>           {"name": <role name>}
    secret_id/<name>/<hmac(secret)>   SecretIDEntry JSON (the secret itself is never stored)
    accessor/<name>/<accessor>        {"secret_id_hmac": ...}

Multi-key changes go through one storage transaction, so a crash never leaves a secret ID
without its accessor or a role without its role_id index.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence

from strongroom.auth.approle._context import AppRoleContext
from strongroom.auth.approle._model import Role, SecretIDEntry
from strongroom.storage import Entry, Storage, TxnOp
from strongroom.types import JSON

SALT_KEY = "salt"
ROLE = "role/"
ROLE_ID = "role_id/"
SECRET_ID = "secret_id/"
ACCESSOR = "accessor/"


def _dumps(value: JSON) -> bytes:
    return json.dumps(value, sort_keys=True).encode()


async def _load(storage: Storage, key: str) -> JSON:
    entry = await storage.get(key)
    return None if entry is None else json.loads(entry.value)


async def existing_salt(storage: Storage) -> bytes | None:
    """The mount's HMAC key if one was made (None on a mount that never stored anything)."""
    entry = await storage.get(SALT_KEY)
    return None if entry is None else entry.value


async def salt(ctx: AppRoleContext, storage: Storage) -> bytes:
    """The mount's HMAC key, created on first use."""
    entry = await storage.get(SALT_KEY)
    if entry is not None:
        return entry.value
    async with ctx.salt_lock():
        entry = await storage.get(SALT_KEY)
        if entry is not None:
            return entry.value
        value = secrets.token_bytes(32)
        await storage.put(Entry(SALT_KEY, value))
        return value


def digest(key: bytes, value: str) -> str:
    """HMAC-SHA256 of `value` under the mount's salt, as hex."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


async def load_role(storage: Storage, name: str) -> Role | None:
    raw = await _load(storage, ROLE + name)
    return None if raw is None else Role.from_json(raw)


async def list_roles(storage: Storage) -> list[str]:
    return [k for k in await storage.list(ROLE) if not k.endswith("/")]


async def role_name_for(storage: Storage, role_id_hmac: str) -> str | None:
    """The name of the role whose role_id has this HMAC."""
    raw = await _load(storage, ROLE_ID + role_id_hmac)
    return None if raw is None else str(raw["name"])


async def load_secret_id(storage: Storage, role: str, secret_hmac: str) -> SecretIDEntry | None:
    raw = await _load(storage, f"{SECRET_ID}{role}/{secret_hmac}")
    return None if raw is None else SecretIDEntry.from_json(raw)


async def secret_hmac_for(storage: Storage, role: str, accessor: str) -> str | None:
    """The HMAC of the secret ID an accessor stands for."""
    raw = await _load(storage, f"{ACCESSOR}{role}/{accessor}")
    return None if raw is None else str(raw["secret_id_hmac"])


async def list_accessors(storage: Storage, role: str) -> list[str]:
    return [k for k in await storage.list(f"{ACCESSOR}{role}/") if not k.endswith("/")]


async def list_secret_hmacs(storage: Storage, role: str) -> list[str]:
    return [k for k in await storage.list(f"{SECRET_ID}{role}/") if not k.endswith("/")]


async def list_folders(storage: Storage, prefix: str) -> list[str]:
    """Role names that have a folder under `prefix` (secret IDs or accessors)."""
    return [k[:-1] for k in await storage.list(prefix) if k.endswith("/")]


def put_role(role: Role) -> TxnOp:
    return TxnOp("put", ROLE + role.name, _dumps(role.to_json()))


def delete_role(name: str) -> TxnOp:
    return TxnOp("delete", ROLE + name)


def put_role_id(role_id_hmac: str, name: str) -> TxnOp:
    return TxnOp("put", ROLE_ID + role_id_hmac, _dumps({"name": name}))


def delete_role_id(role_id_hmac: str) -> TxnOp:
    return TxnOp("delete", ROLE_ID + role_id_hmac)


def put_secret_id(role: str, entry: SecretIDEntry) -> list[TxnOp]:
    """Write a secret ID entry and its accessor index."""
    return [
        TxnOp("put", f"{SECRET_ID}{role}/{entry.secret_id_hmac}", _dumps(entry.to_json())),
        TxnOp(
            "put",
            f"{ACCESSOR}{role}/{entry.accessor}",
            _dumps({"secret_id_hmac": entry.secret_id_hmac}),
        ),
    ]


def delete_secret_id(role: str, secret_hmac: str, accessor: str) -> list[TxnOp]:
    """Remove a secret ID entry and its accessor index."""
    return [
        TxnOp("delete", f"{SECRET_ID}{role}/{secret_hmac}"),
        TxnOp("delete", f"{ACCESSOR}{role}/{accessor}"),
    ]


def delete_secret_key(role: str, secret_hmac: str) -> TxnOp:
    return TxnOp("delete", f"{SECRET_ID}{role}/{secret_hmac}")


def delete_accessor(role: str, accessor: str) -> TxnOp:
    return TxnOp("delete", f"{ACCESSOR}{role}/{accessor}")


async def apply(storage: Storage, ops: Sequence[TxnOp]) -> None:
    """Apply `ops` atomically (nothing to do when empty)."""
    if ops:
        await storage.transaction(ops)


__all__ = [
    "apply",
    "delete_accessor",
    "delete_role",
    "delete_role_id",
    "delete_secret_id",
    "delete_secret_key",
    "digest",
    "existing_salt",
    "list_accessors",
    "list_folders",
    "list_roles",
    "list_secret_hmacs",
    "load_role",
    "load_secret_id",
    "put_role",
    "put_role_id",
    "put_secret_id",
    "role_name_for",
    "salt",
    "secret_hmac_for",
]
