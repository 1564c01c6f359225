"""Wire strings of the userpass auth method that clients match on. No logic.

Each one was checked against a live OpenBao 2.7 (`bao auth enable userpass`).
"""

from __future__ import annotations

# vault-compat: login errors. OpenBao answers a missing password with a 500; we say 400.
ERR_MISSING_PASSWORD = "missing password"
ERR_INVALID_CREDENTIALS = "invalid username or password"
# vault-compat: OpenBao core refuses a login whose policies include root
ERR_ROOT_TOKEN = "auth methods cannot create root tokens"

# vault-compat: user writes
ERR_PASSWORD_REQUIRED = "must provide either password or password_hash"
ERR_PASSWORD_EXCLUSIVE = "only one of password or password_hash may be provided"
# vault-compat: OpenBao wraps this in a 500 multierror; we say 400 with the same words.
ERR_NO_SUCH_USER = "username does not exist"
ERR_BAD_HASH = "password_hash is not a valid bcrypt hash"
ERR_COST_TOO_LOW = "bcrypt cost of {cost} is too low, want {minimum} at minimum"
ERR_COST_TOO_HIGH = "bcrypt cost of {cost} exceeds maximum cost of {maximum}"
# vault-compat: Go's bcrypt.ErrPasswordTooLong (a 500 in OpenBao; 400 here)
ERR_PASSWORD_TOO_LONG = "bcrypt: password length exceeds 72 bytes"
ERR_STRICT_BIND_CONFLICT = (
    "'token_strictly_bind_ip' conflicts with 'token_bound_cidrs'; set only one"
)

__all__ = [
    "ERR_BAD_HASH",
    "ERR_COST_TOO_HIGH",
    "ERR_COST_TOO_LOW",
    "ERR_INVALID_CREDENTIALS",
    "ERR_MISSING_PASSWORD",
    "ERR_NO_SUCH_USER",
    "ERR_PASSWORD_EXCLUSIVE",
    "ERR_PASSWORD_REQUIRED",
    "ERR_PASSWORD_TOO_LONG",
    "ERR_ROOT_TOKEN",
    "ERR_STRICT_BIND_CONFLICT",
]
