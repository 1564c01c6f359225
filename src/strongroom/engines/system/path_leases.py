"""`sys/leases/*` and the legacy `sys/renew`, `sys/revoke`, `sys/revoke-prefix`,
`sys/revoke-force`: looking up, renewing and revoking leases."""

from __future__ import annotations

from strongroom.clock import rfc3339
from strongroom.durations import ttl_capped_warning
from strongroom.engines.system._core import SystemCore
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, Path, lit, one_of, rest
from strongroom.logical import Operation, Request, Response, Secret

# vault-compat: lease endpoint texts
ERR_NO_LEASE_ID = "lease_id must be specified"


def _lease_id(data: FieldData) -> str:
    lease_id = data.string("lease_id") or data.string("url_lease_id")
    if not lease_id:
        raise InvalidRequest(ERR_NO_LEASE_ID)
    return lease_id.strip("/")


def lease_paths(core: SystemCore) -> list[Path]:
    # `core.expiration` is looked up per request: the core builds a new manager at each unseal.
    async def lookup(request: Request, data: FieldData) -> Response | None:
        lease = await core.expiration.lookup(_lease_id(data))
        if lease is None:
            raise InvalidRequest("invalid lease")
        now = core.clock.now()
        return Response.of(
            {
                "expire_time": rfc3339(lease.expire_time),
                "id": lease.lease_id,
                "issue_time": rfc3339(lease.issue_time),
                "last_renewal": rfc3339(lease.last_renewal_time)
                if lease.last_renewal_time
                else None,
                "path": lease.lease_id.rsplit("/", 1)[0],
                "renewable": lease.renewable,
                "ttl": lease.ttl(now),
            }
        )

    async def list_prefix(request: Request, data: FieldData) -> Response | None:
        prefix = data.string("prefix")
        keys = await core.expiration.list_prefix(
            prefix if prefix.endswith("/") or not prefix else prefix + "/"
        )
        return Response.of({"keys": keys}) if keys else None

    async def renew(request: Request, data: FieldData) -> Response | None:
        lease = await core.expiration.lookup(_lease_id(data))
        if lease is None:
            raise InvalidRequest("lease not found")
        increment = data.duration("increment")
        renewed = await core.expiration.renew(lease.lease_id, increment)
        secret = Secret(
            lease_id=renewed.lease_id,
            ttl=renewed.ttl(core.clock.now()),
            renewable=renewed.renewable,
        )
        capped = (ttl_capped_warning(increment, secret.ttl),) if 0 < secret.ttl < increment else ()
        return Response(secret=secret, data=None, status=200, warnings=capped)

    async def revoke(request: Request, data: FieldData) -> Response | None:
        await core.expiration.revoke(_lease_id(data))
        return None

    async def revoke_prefix(request: Request, data: FieldData) -> Response | None:
        await core.expiration.revoke_prefix(data.string("prefix"))
        return None

    async def revoke_force(request: Request, data: FieldData) -> Response | None:
        await core.expiration.revoke_prefix(data.string("prefix"), force=True)
        return None

    async def tidy(request: Request, data: FieldData) -> Response | None:
        await core.expiration.tidy()
        return Response(
            status=202,
            warnings=(
                "Tidy operation successfully started. Any information from the operation will be "
                "printed to OpenBao's server logs.",
            ),
        )

    async def count(request: Request, data: FieldData) -> Response | None:
        if data.string("type") == "irrevocable":
            return Response.of({"counts": {}, "lease_count": len(core.expiration.irrevocable)})
        return Response.of({"counts": {}, "lease_count": core.expiration.count()})

    lease_fields = {
        "lease_id": Field(FieldType.STRING, "The lease id."),
        "url_lease_id": Field(FieldType.STRING, "The lease id, in the URL."),
        "increment": Field(FieldType.DURATION, "Requested extension of the lease."),
        "sync": Field(
            FieldType.BOOL, "Revoke before answering (always the case here).", default=True
        ),
    }
    prefix_fields = {
        "prefix": Field(FieldType.STRING, "Lease id prefix."),
        "sync": Field(FieldType.BOOL, "Always synchronous here.", default=True),
    }
    return [
        Path(
            pattern=lit("leases/lookup"),
            operations={Operation.UPDATE: lookup},
            fields=lease_fields,
            synopsis="Look up a lease.",
        ),
        Path(
            pattern=lit("leases/lookup/") + rest("prefix"),
            operations={Operation.LIST: list_prefix},
            fields={"prefix": Field(FieldType.STRING, "Lease id prefix.")},
            synopsis="List lease ids under a prefix (sudo).",
        ),
        Path(
            pattern=one_of("leases/renew", "renew"),
            operations={Operation.UPDATE: renew},
            fields=lease_fields,
            synopsis="Renew a lease.",
        ),
        Path(
            pattern=one_of("leases/renew/", "renew/") + rest("url_lease_id"),
            operations={Operation.UPDATE: renew},
            fields=lease_fields,
            synopsis="Renew a lease.",
        ),
        Path(
            pattern=one_of("leases/revoke", "revoke"),
            operations={Operation.UPDATE: revoke},
            fields=lease_fields,
            synopsis="Revoke a lease.",
        ),
        Path(
            pattern=one_of("leases/revoke/", "revoke/") + rest("url_lease_id"),
            operations={Operation.UPDATE: revoke},
            fields=lease_fields,
            synopsis="Revoke a lease.",
        ),
        Path(
            pattern=one_of("leases/revoke-prefix/", "revoke-prefix/") + rest("prefix"),
            operations={Operation.UPDATE: revoke_prefix},
            fields=prefix_fields,
            synopsis="Revoke every lease under a prefix (sudo).",
        ),
        Path(
            pattern=one_of("leases/revoke-force/", "revoke-force/") + rest("prefix"),
            operations={Operation.UPDATE: revoke_force},
            fields=prefix_fields,
            synopsis="Revoke every lease under a prefix, even if revocation fails (sudo).",
        ),
        Path(
            pattern=lit("leases/tidy"),
            operations={Operation.UPDATE: tidy},
            synopsis="Clean up leases of tokens that are gone.",
        ),
        Path(
            pattern=lit("leases/count"),
            operations={Operation.READ: count},
            fields={
                "type": Field(FieldType.STRING, "irrevocable to count failed revocations."),
                "include_child_namespaces": Field(FieldType.BOOL, "Accepted."),
            },
            synopsis="Count leases.",
        ),
    ]


__all__ = ["lease_paths"]
