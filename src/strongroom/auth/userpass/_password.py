"""The new password hash a write asks for: from `password` (hashed here, in a thread) or a
pre-hashed bcrypt `password_hash`. Never returns or logs the password."""

from __future__ import annotations

from strongroom.auth.userpass._hasher import PasswordHasher, check_imported_hash
from strongroom.auth.userpass._messages import ERR_PASSWORD_EXCLUSIVE
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType

PASSWORD_FIELDS: dict[str, Field] = {
    "password": Field(FieldType.STRING, "Password for this user.", sensitive=True),
    "password_hash": Field(
        FieldType.STRING,
        "A bcrypt hash of the user's password, instead of the password itself.",
        sensitive=True,
    ),
}


def wants_new_password(data: FieldData) -> bool:
    """Whether the write sets a password (an empty value counts as not sent, as in OpenBao);
    400 when it sends both forms."""
    password, hashed = data.string("password"), data.string("password_hash")
    if password and hashed:
        raise InvalidRequest(ERR_PASSWORD_EXCLUSIVE)
    return bool(password or hashed)


async def new_password_hash(hasher: PasswordHasher, data: FieldData) -> str | None:
    """The hash to store, or None when the write sets no password."""
    if not wants_new_password(data):
        return None
    hashed = data.string("password_hash")
    if hashed:
        return check_imported_hash(hashed)
    return await hasher.hash(data.string("password"))


__all__ = ["PASSWORD_FIELDS", "new_password_hash", "wants_new_password"]
