"""Per-listener HTTP behaviour (from the config's `listener "tcp"` block)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_REQUEST_SIZE = 32 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ListenerOptions:
    """What the HTTP layer needs to know about the listener a request came in on."""

    max_request_size: int = DEFAULT_MAX_REQUEST_SIZE
    disable_unauthed_rekey_endpoints: bool = True
    disable_unauthed_generate_root_endpoints: bool = True
    unauthenticated_metrics_access: bool = False
    tls: bool = False


__all__ = ["DEFAULT_MAX_REQUEST_SIZE", "ListenerOptions"]
