"""The AppRole auth method (`auth/approle/`): machines log in with a role_id and a secret ID."""

from strongroom.auth.approle.backend import approle_backend

__all__ = ["approle_backend"]
