"""The HTTP layer: the ASGI app and the unauthenticated sys endpoints."""

from strongroom.http.app import StrongroomApp
from strongroom.http.options import DEFAULT_MAX_REQUEST_SIZE, ListenerOptions

__all__ = ["DEFAULT_MAX_REQUEST_SIZE", "ListenerOptions", "StrongroomApp"]
