"""Error texts of the database engine (vault-compat: OpenBao's where clients may see them)."""

from __future__ import annotations

ERR_UNKNOWN_ROLE = "unknown role: {}"
ERR_NOT_ALLOWED = '"{}" is not an allowed role'
ERR_NO_STATIC_ROLE = "no static role found for role name"
ERR_RENEW_NO_ROLE = 'error during renew: could not find role with name "{}"'
ERR_PAST_MAX_TTL = "lease has reached the role's max_ttl and cannot be renewed"
ERR_EMPTY_CREATION = "empty creation statements"
ERR_USERNAME = "unable to generate username: {}"
ERR_PASSWORD = "failed to generate password: {}"
ERR_CREATE_USER = "failed to create user: {}"
ERR_RENEW_USER = "failed to renew user: {}"
ERR_REVOKE_USER = "failed to revoke user: {}"
ERR_SET_CREDENTIALS = "error setting credentials: {}"
ERR_ROOT_NO_USERNAME = "unable to rotate root credentials: no username in configuration"
ERR_ROOT_NO_PASSWORD = "unable to rotate root credentials: no password in configuration"
ERR_ROOT_LITERAL_URL = (
    "unable to rotate root credentials: connection_url holds a literal password; use "
    "{{username}} and {{password}} in the URL"
)
ERR_ROTATE_ROOT = "failed to update user: {}"
