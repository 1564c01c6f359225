"""The one error hierarchy. Handlers raise; only `http/render.py` renders `{"errors": [...]}`.

Wire strings that clients match on are constants here, marked `# vault-compat:`.
"""

from __future__ import annotations

# vault-compat: messages clients and tests match on verbatim.
ERR_PERMISSION_DENIED = "permission denied"
ERR_SEALED = "Vault is sealed"
ERR_UNSUPPORTED_PATH = "unsupported path"
ERR_UNSUPPORTED_OPERATION = "unsupported operation"
ERR_NOT_INITIALIZED = "Vault is not initialized"
ERR_ALREADY_INITIALIZED = "Vault is already initialized"
ERR_REQUEST_TOO_LARGE = "http: request body too large"
ERR_INTERNAL = "internal error"


class StrongroomError(Exception):
    """Base of every error that maps to an HTTP status."""

    status: int = 500

    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages: list[str] = list(messages)

    def __str__(self) -> str:
        return "; ".join(self.messages)


class InvalidRequest(StrongroomError):
    status = 400


class PermissionDenied(StrongroomError):
    status = 403

    def __init__(self, *messages: str) -> None:
        super().__init__(*(messages or (ERR_PERMISSION_DENIED,)))


class NotFound(StrongroomError):
    status = 404


class UnsupportedOperation(StrongroomError):
    status = 405

    def __init__(self, *messages: str) -> None:
        super().__init__(*(messages or (ERR_UNSUPPORTED_OPERATION,)))


class PreconditionFailed(StrongroomError):
    status = 412


class RequestTooLarge(StrongroomError):
    status = 413

    def __init__(self, *messages: str) -> None:
        super().__init__(*(messages or (ERR_REQUEST_TOO_LARGE,)))


class UnsupportedMediaType(StrongroomError):
    status = 415


class RateLimited(StrongroomError):
    status = 429


class InternalError(StrongroomError):
    status = 500


class UpstreamError(StrongroomError):
    status = 502


class Sealed(StrongroomError):
    status = 503

    def __init__(self, *messages: str) -> None:
        super().__init__(*(messages or (ERR_SEALED,)))


class StorageError(InternalError):
    """A storage backend failed (sqlite3/OSError translated at the storage boundary)."""


class DecryptionFailed(InternalError):
    """Opaque: a ciphertext did not authenticate. Carries no detail (no oracle)."""

    def __init__(self) -> None:
        super().__init__("decryption failed")


class ConfigError(Exception):
    """The server configuration is invalid; the message names the key and where it is."""


__all__ = [
    "ERR_ALREADY_INITIALIZED",
    "ERR_INTERNAL",
    "ERR_NOT_INITIALIZED",
    "ERR_PERMISSION_DENIED",
    "ERR_REQUEST_TOO_LARGE",
    "ERR_SEALED",
    "ERR_UNSUPPORTED_OPERATION",
    "ERR_UNSUPPORTED_PATH",
    "ConfigError",
    "DecryptionFailed",
    "InternalError",
    "InvalidRequest",
    "NotFound",
    "PermissionDenied",
    "PreconditionFailed",
    "RateLimited",
    "RequestTooLarge",
    "Sealed",
    "StorageError",
    "StrongroomError",
    "UnsupportedMediaType",
    "UnsupportedOperation",
    "UpstreamError",
]
