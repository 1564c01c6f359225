"""The catalog of built-in backend types: one line per engine or auth method."""

from __future__ import annotations

from strongroom.auth.approle import approle_backend
from strongroom.auth.token import TokenContext, token_backend
from strongroom.auth.userpass import userpass_backend
from strongroom.core import Catalog, Core
from strongroom.core.system_view import SystemView
from strongroom.engines.cubbyhole import cubbyhole_backend
from strongroom.engines.database import database_backend
from strongroom.engines.kv import kv_backend
from strongroom.engines.system import system_backend
from strongroom.engines.transit import transit_backend
from strongroom.framework import Backend
from strongroom.logical.mounts import MountEntry
from strongroom.policy.password import generate_default
from strongroom.tokens import MountTTLs


def catalog(core: Core) -> Catalog:
    """Backend factories by type, bound to this core."""

    def system(_: MountEntry) -> Backend:
        return system_backend(SystemView(core))

    def token(mount: MountEntry) -> Backend:
        def ttls() -> MountTTLs:
            return MountTTLs(*core.mount_ttls(mount.route_path))

        return token_backend(
            TokenContext(core.tokens, ttls, core.policy_exists, core.check_login_renewal)
        )

    def cubbyhole(_: MountEntry) -> Backend:
        return cubbyhole_backend()

    def kv(mount: MountEntry) -> Backend:
        return kv_backend(mount.options, clock=core.clock)

    def userpass(_: MountEntry) -> Backend:
        return userpass_backend(clock=core.clock)

    def transit(_: MountEntry) -> Backend:
        return transit_backend(clock=core.clock)

    def approle(_: MountEntry) -> Backend:
        return approle_backend(clock=core.clock)

    def database(mount: MountEntry) -> Backend:
        async def generate_password(policy: str) -> str:
            # vault-compat: no policy named means OpenBao's default generator
            if not policy:
                return generate_default()
            return await core.password_policies.generate(policy)

        return database_backend(
            clock=core.clock,
            generate_password=generate_password,
            mount_ttls=lambda: core.mount_ttls(mount.route_path),
        )

    return {
        "approle": approle,
        "system": system,
        "token": token,
        "cubbyhole": cubbyhole,
        "kv": kv,
        "userpass": userpass,
        "transit": transit,
        "database": database,
    }


__all__ = ["catalog"]
