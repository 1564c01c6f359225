"""Responses: data, an optional lease-bearing `Secret`, an optional `Auth`, warnings.

No I/O. `http/` turns a Response into Vault's JSON envelope.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from strongroom.fast_init import fast_init
from strongroom.types import JSONDict


@dataclass(frozen=True, slots=True)
class Secret:
    """A secret with a lease (sdk/logical Secret)."""

    lease_id: str = ""
    ttl: int = 0
    max_ttl: int = 0
    renewable: bool = False
    internal_data: JSONDict = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class Auth:
    """The result of a login or token creation (sdk/logical Auth)."""

    client_token: str = field(default="", repr=False)
    accessor: str = ""
    policies: tuple[str, ...] = ()
    token_policies: tuple[str, ...] = ()
    identity_policies: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)
    lease_duration: int = 0
    renewable: bool = False
    entity_id: str = ""
    token_type: str = "service"
    orphan: bool = False
    num_uses: int = 0
    # Set by auth methods on login; the core turns them into the token it creates.
    period: int = 0
    explicit_max_ttl: int = 0
    max_ttl: int = 0
    no_default_policy: bool = False
    bound_cidrs: tuple[str, ...] = ()
    display_name: str = ""
    alias_name: str = ""
    internal_data: Mapping[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class WrapInfo:
    """Response-wrapping details (filled by the wrapping step)."""

    token: str = field(default="", repr=False)
    accessor: str = ""
    ttl: int = 0
    creation_time: str = ""
    creation_path: str = ""
    wrapped_accessor: str = ""


@fast_init
@dataclass(frozen=True, slots=True)
class Response:
    """A logical response.

    `top_level_data` copies `data` to the top level of the JSON envelope, as OpenBao does for
    some legacy `sys/` endpoints (e.g. `sys/key-status`). `status` overrides the HTTP status
    (204 when there is nothing to say, by default). `raw` sends `data` as the whole body, with
    no envelope (help and OpenAPI documents); `body` with `content_type` is a non-JSON body
    sent verbatim (the Prometheus exposition).
    """

    data: JSONDict | None = None
    secret: Secret | None = None
    auth: Auth | None = None
    warnings: tuple[str, ...] = ()
    wrap_info: WrapInfo | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    status: int | None = None
    top_level_data: bool = False
    raw: bool = False
    body: bytes | None = field(default=None, repr=False)
    content_type: str = ""

    @staticmethod
    def of(data: JSONDict, *, top_level: bool = False) -> Response:
        """A plain data response."""
        return Response(data=data, top_level_data=top_level)


__all__ = ["Auth", "Response", "Secret", "WrapInfo"]
