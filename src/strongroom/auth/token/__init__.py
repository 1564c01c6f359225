"""The token auth method."""

from strongroom.auth.token.backend import TokenContext, token_backend

__all__ = ["TokenContext", "token_backend"]
