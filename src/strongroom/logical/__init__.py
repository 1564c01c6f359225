"""The frozen dataclasses every layer speaks (≈ OpenBao sdk/logical). No I/O."""

from strongroom.logical.request import Connection, Operation, Request, TokenInfo
from strongroom.logical.response import Auth, Response, Secret, WrapInfo

__all__ = [
    "Auth",
    "Connection",
    "Operation",
    "Request",
    "Response",
    "Secret",
    "TokenInfo",
    "WrapInfo",
]
