"""The userpass auth method: users with bcrypt-hashed passwords who log in for a token."""

from strongroom.auth.userpass._hasher import DEFAULT_COST, PasswordHasher
from strongroom.auth.userpass.backend import userpass_backend

__all__ = ["DEFAULT_COST", "PasswordHasher", "userpass_backend"]
