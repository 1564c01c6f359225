"""The Core facade: initialisation, seal/unseal lifecycle, and the door to the request pipeline.

Core owns the barrier, the seal, the mount table and the token store, and nothing about any
engine's paths: backends come from the injected catalog.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import secrets
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from strongroom.audit import DEFAULT_TIMEOUT, AuditBroker
from strongroom.barrier import AESGCMBarrier, StorageView
from strongroom.clock import Clock, SystemClock
from strongroom.core import audit_table
from strongroom.core.audit_table import AuditSpec
from strongroom.core.audited_headers import AuditedHeaders
from strongroom.core.background import Background
from strongroom.core.expiration import revokers
from strongroom.core.generate_root import GenerateRoot
from strongroom.core.identity import IdentityStore
from strongroom.core.mount_manager import MountManager, clean_backends, delete_prefix
from strongroom.core.password_policies import PasswordPolicyStore
from strongroom.core.policy_store import PolicyStore
from strongroom.core.rekey import Rekey
from strongroom.core.router import Route, Router
from strongroom.core.state import ClusterInfo, HealthStatus, SealStatus
from strongroom.core.usage import usage_gauges
from strongroom.errors import (
    ERR_ALREADY_INITIALIZED,
    ERR_NOT_INITIALIZED,
    DecryptionFailed,
    InvalidRequest,
)
from strongroom.framework import Backend
from strongroom.leases import ExpirationManager, token_lease_id
from strongroom.logical.mounts import (
    AUTH_TABLE_PATH,
    MOUNT_TABLE_PATH,
    MountEntry,
    default_auth_mounts,
    default_mounts,
    deserialize_table,
    serialize_table,
)
from strongroom.seal import SealConfig, ShamirSeal, combine_shares
from strongroom.seal.shares import ShareProgress
from strongroom.storage import Entry, Storage
from strongroom.telemetry import Metrics, names, ttl_bucket
from strongroom.tokens import TokenEntry, TokenStore

# How often the core looks for backends whose periodic work is due (each backend sets its own
# interval, 60 s unless it says otherwise).
PERIODIC_TICK = 1.0

_log = logging.getLogger("strongroom.core")

CLUSTER_INFO_PATH = "core/cluster/local/info"
ROOT_KEY_BYTES = 32

BackendFactory = Callable[[MountEntry], Backend]
Catalog = Mapping[str, BackendFactory]


@dataclass(frozen=True, slots=True)
class CoreOptions:
    """Server-wide settings the core needs (from the config file)."""

    default_lease_ttl: int = 32 * 86400
    max_lease_ttl: int = 32 * 86400
    cluster_name: str | None = None
    api_addr: str = ""
    cluster_addr: str = ""
    storage_type: str = "inmem"
    unsafe_allow_api_audit_creation: bool = False
    audit_devices: tuple[AuditSpec, ...] = ()
    metrics_prefix: str = "vault"
    prometheus_enabled: bool = True
    usage_gauge_period: int = 600


@dataclass(frozen=True, slots=True)
class InitResult:
    """What `sys/init` hands back exactly once."""

    shares: list[bytes]
    root_token: str


class Core:
    """One Strongroom node's state machine."""

    def __init__(
        self,
        physical: Storage,
        *,
        catalog: Callable[[Core], Catalog],
        options: CoreOptions | None = None,
        clock: Clock | None = None,
        rng: Callable[[int], bytes] = os.urandom,
    ) -> None:
        self.physical = physical
        self.options = options or CoreOptions()
        self.clock: Clock = clock or SystemClock()
        self.rng = rng
        self.metrics = Metrics(
            prefix=self.options.metrics_prefix, cluster_name=self.options.cluster_name or ""
        )
        self.barrier = AESGCMBarrier(physical, clock=self.clock, rng=rng)
        self.barrier.metrics = self.metrics
        self.seal_access = ShamirSeal(physical, rng=rng)
        self.unseal_progress = ShareProgress()
        self.router = Router()
        self.expiration = self._new_expiration()
        self.tokens = self._new_token_store()
        self.cluster: ClusterInfo | None = None
        self._catalog_factory = catalog
        self._catalog: Catalog | None = None
        self._lock = asyncio.Lock()
        self._background = Background()
        self._periodic_runs: dict[str, float] = {}  # mount uuid -> monotonic time of last run
        self._seal_config: SealConfig | None = None
        self._initialized = False
        self.rekey = Rekey(self)
        self.metrics.gauge_callback(names.CORE_UNSEALED, lambda: 0.0 if self.sealed else 1.0)
        self.metrics.gauge_callback(names.CORE_ACTIVE, lambda: 0.0 if self.sealed else 1.0)
        self.metrics.gauge_callback(names.EXPIRE_NUM_LEASES, lambda: float(self.expiration.count()))
        self.mounts = MountManager(self)
        self.audit = AuditBroker(timeout=DEFAULT_TIMEOUT)
        self.audit_specs: list[AuditSpec] = []
        self.audited_headers = AuditedHeaders(self.barrier)
        self.policies = PolicyStore(StorageView(self.barrier, "sys/policy/"), clock=self.clock)
        self.password_policies = PasswordPolicyStore(
            StorageView(self.barrier, "sys/password_policy/"), clock=self.clock
        )
        self.identity = IdentityStore(StorageView(self.barrier, "sys/identity/"), clock=self.clock)
        self.generate_root = GenerateRoot(self)
        # OpenBao >= 2.6: the authenticated twin (sys/generate-root-token), its own attempt.
        self.generate_root_token = GenerateRoot(self)
        self._unseal_hooks: list[Callable[[], None]] = []
        self._seal_hooks: list[Callable[[], None]] = []

    def on_unseal(self, hook: Callable[[], None]) -> None:
        """Call `hook` each time an unseal completes (after the mounts and stores are up)."""
        self._unseal_hooks.append(hook)

    def on_seal(self, hook: Callable[[], None]) -> None:
        """Call `hook` each time the core seals (after what the seal drops is let go)."""
        self._seal_hooks.append(hook)

    def _new_token_store(self) -> TokenStore:
        store = TokenStore(StorageView(self.barrier, "sys/token/"), clock=self.clock, rng=self.rng)
        store.on_revoke(self._destroy_cubbyhole)
        store.on_revoke(self._forget_token_lease)
        store.on_create(self._token_created)
        store.on_change(self._token_renewed)
        return store

    def _new_expiration(self) -> ExpirationManager:
        manager = ExpirationManager(
            StorageView(self.barrier, "sys/expire/"), clock=self.clock, revokers=revokers(self)
        )
        manager.on_failure = lambda: self.metrics.inc(names.EXPIRE_REVOKE_FAILURE)
        return manager

    async def _destroy_cubbyhole(self, entry: TokenEntry) -> None:
        """A revoked token's cubbyhole goes with it."""
        for mounted in self.router.routes():
            if mounted.mount.type == "cubbyhole":
                await delete_prefix(mounted.storage, entry.id + "/")

    async def _forget_token_lease(self, entry: TokenEntry) -> None:
        """A revoked token's own lease is forgotten, and the secrets it leased are revoked."""
        await self.expiration.forget(token_lease_id(entry))
        await self.expiration.revoke_by_token(entry.id)

    async def _token_created(self, entry: TokenEntry) -> None:
        """A new token is counted and, when it has a TTL, gets its lease."""
        if self.sealed:
            return  # nothing to count or lease without an unsealed core
        method = entry.path.split("/")[1] if entry.path.startswith("auth/") else "token"
        self.metrics.inc(
            names.TOKEN_CREATION,
            {
                "auth_method": method,
                "creation_ttl": ttl_bucket(entry.ttl),
                "mount_point": "/".join(entry.path.split("/")[:2]) + "/",
                "namespace": "root",
                "token_type": entry.token_type,
            },
        )
        await self.expiration.register_token(entry)

    async def _token_renewed(self, entry: TokenEntry) -> None:
        await self.expiration.token_renewed(entry)

    # -- status -------------------------------------------------------------------------------

    @property
    def sealed(self) -> bool:
        return self.barrier.sealed

    async def initialized(self) -> bool:
        # Once initialised, always initialised: skip the storage read (sys/health is hot).
        if not self._initialized:
            self._initialized = await self.barrier.initialized()
        return self._initialized

    async def seal_config(self) -> SealConfig | None:
        if self._seal_config is None:
            self._seal_config = await self.seal_access.config()
        return self._seal_config

    async def seal_status(self) -> SealStatus:
        config = await self.seal_config()
        return SealStatus(
            initialized=config is not None and await self.initialized(),
            sealed=self.sealed,
            threshold=config.secret_threshold if config else 0,
            shares=config.secret_shares if config else 0,
            progress=self.unseal_progress.progress,
            nonce=self.unseal_progress.nonce,
            storage_type=self.options.storage_type,
            cluster=self.cluster,
        )

    async def health(self) -> HealthStatus:
        return HealthStatus(
            initialized=await self.initialized(),
            sealed=self.sealed,
            standby=self.sealed,
            server_time_utc=int(self.clock.now()),
            cluster=self.cluster,
        )

    def leader(self) -> dict[str, object]:
        """`sys/leader` for a node without HA storage (OpenBao answers this while sealed too)."""
        return {"ha_enabled": False}

    # -- initialise, unseal, seal -----------------------------------------------------------

    async def initialize(
        self, config: SealConfig, *, root_token_id: str | None = None
    ) -> InitResult:
        """Create the keyring, the sealed root key and the first root token. Leaves it sealed."""
        config.validate()
        async with self._lock:
            if await self.initialized():
                raise InvalidRequest(ERR_ALREADY_INITIALIZED)
            root_key = self.rng(ROOT_KEY_BYTES)
            unseal_key, shares = self.seal_access.new_unseal_key(config)
            # The keyring is what marks the server initialised, so it is written after the
            # seal configuration and wrapped root key: a crash in between leaves a server that
            # can simply be initialised again.
            await self.seal_access.store(config, unseal_key, root_key)
            self._seal_config = config
            await self.barrier.initialize(root_key)
            await self.barrier.unseal(root_key)
            try:
                cluster = ClusterInfo(
                    name=self.options.cluster_name or f"vault-cluster-{secrets.token_hex(4)}",
                    id=str(uuid.uuid4()),
                )
                await self.barrier.put(
                    Entry(
                        CLUSTER_INFO_PATH,
                        json.dumps({"name": cluster.name, "id": cluster.id}).encode(),
                    )
                )
                await self.barrier.put(Entry(MOUNT_TABLE_PATH, serialize_table(default_mounts())))
                await self.barrier.put(
                    Entry(AUTH_TABLE_PATH, serialize_table(default_auth_mounts()))
                )
                if root_token_id:
                    # vault-compat: dev mode's chosen root token is made by token/create
                    root_token = await self.tokens.create_root(
                        token=root_token_id, display_name="token", path="auth/token/create"
                    )
                else:
                    root_token = await self.tokens.create_root()
                await self.barrier.persist_usage()
            finally:
                self.barrier.seal()
                self.tokens = self._new_token_store()
            _log.info(
                "security barrier initialized (shares=%d, threshold=%d)",
                config.secret_shares,
                config.secret_threshold,
            )
            return InitResult(shares=shares, root_token=root_token)

    async def submit_unseal_share(self, share: bytes) -> None:
        """Add one share; unseal once the threshold is reached. 400 for a wrong key."""
        config = await self.seal_config()
        if config is None or not await self.initialized():
            raise InvalidRequest(ERR_NOT_INITIALIZED)
        async with self._lock:
            if not self.sealed:
                return
            complete = self.unseal_progress.add(share, config.secret_threshold)
            if complete is None:
                return
            unseal_key = combine_shares(complete, config.secret_threshold)
            try:
                root_key = await self.seal_access.recover_root_key(unseal_key)
            except DecryptionFailed:
                # vault-compat: OpenBao says the stored keys could not be decrypted
                raise InvalidRequest("unable to retrieve stored keys: invalid key") from None
            await self._unseal_with_root_key(root_key)

    async def unseal_with_key(self, unseal_key: bytes) -> None:
        """Unseal directly with the whole unseal key (dev mode, tests)."""
        async with self._lock:
            root_key = await self.seal_access.recover_root_key(unseal_key)
            await self._unseal_with_root_key(root_key)

    def reset_unseal(self) -> None:
        self.unseal_progress.reset()

    async def _unseal_with_root_key(self, root_key: bytes) -> None:
        await self.barrier.unseal(root_key)
        try:
            await self._post_unseal()
        except BaseException:
            await self._pre_seal()
            raise
        _log.info("vault is unsealed")
        for hook in self._unseal_hooks:
            hook()

    async def _post_unseal(self) -> None:
        info = await self.barrier.get(CLUSTER_INFO_PATH)
        if info is not None:
            raw = json.loads(info.value)
            self.cluster = ClusterInfo(name=raw["name"], id=raw["id"])
            self.metrics.cluster_name = self.cluster.name
        self._catalog = self._catalog_factory(self)
        self.policies = PolicyStore(StorageView(self.barrier, "sys/policy/"), clock=self.clock)
        self.password_policies = PasswordPolicyStore(
            StorageView(self.barrier, "sys/password_policy/"), clock=self.clock
        )
        self.identity = IdentityStore(StorageView(self.barrier, "sys/identity/"), clock=self.clock)
        await self.policies.setup_defaults()
        await self._load_mounts()
        self.audit = AuditBroker(timeout=DEFAULT_TIMEOUT)
        self.audit_specs = await audit_table.load(
            self, self.audit, list(self.options.audit_devices)
        )
        self.audited_headers = AuditedHeaders(self.barrier)
        await self.audited_headers.load()
        self.expiration = self._new_expiration()
        loaded = await self.expiration.load()
        _log.info("expiration manager: %d leases restored", loaded)
        self._background.start(
            [
                ("keyring-usage", 30.0, self.barrier.persist_usage),
                ("keyring-rotation", 10.0, self._rotate_if_due),
                ("expiration", 1.0, self._expire_due),
                ("periodic", PERIODIC_TICK, self._run_periodic),
                ("usage-gauges", float(self.options.usage_gauge_period or 600), self._usage_gauges),
            ]
        )

    async def _load_mounts(self) -> None:
        router = Router()
        for path, defaults in (
            (MOUNT_TABLE_PATH, default_mounts),
            (AUTH_TABLE_PATH, default_auth_mounts),
        ):
            stored = await self.barrier.get(path)
            entries = deserialize_table(stored.value) if stored is not None else defaults()
            for entry in entries:
                router.mount(self.route_for(entry))
        self.router = router

    def route_for(self, entry: MountEntry) -> Route:
        if self._catalog is None or entry.type not in self._catalog:
            # vault-compat: enable error text for an unknown type
            raise InvalidRequest(f"plugin not found in the catalog: {entry.type}")
        backend = self._catalog[entry.type](entry)
        return Route(
            mount=entry, backend=backend, storage=StorageView(self.barrier, entry.storage_prefix)
        )

    async def _usage_gauges(self) -> None:
        await usage_gauges(self)

    async def _run_periodic(self) -> None:
        """Each backend's periodic work (Vault's PeriodicFunc) once its interval has passed,
        one mount's failure logged."""
        now = self.clock.monotonic()
        for mounted in self.router.routes():
            backend = mounted.backend
            if backend.periodic is None:
                continue
            key = mounted.mount.uuid
            if now - self._periodic_runs.get(key, -math.inf) < backend.periodic_interval:
                continue
            self._periodic_runs[key] = now
            try:
                await backend.periodic(mounted.storage)
            except Exception:
                _log.exception("periodic function of %s failed", mounted.mount.route_path)

    async def _expire_due(self) -> None:
        await self.expiration.run_due()

    async def _rotate_if_due(self) -> None:
        if self.barrier.rotation_due(self.clock.now()):
            key = await self.barrier.rotate()
            _log.info("automatic keyring rotation to term %d", key.term)

    async def seal(self) -> None:
        """Seal: stop background work, forget every key and cache."""
        async with self._lock:
            if self.sealed:
                return
            await self._pre_seal()
            _log.info("vault is sealed")
            for hook in self._seal_hooks:
                hook()

    async def _pre_seal(self) -> None:
        await self._background.stop()
        await self.audit.close()
        await clean_backends(self.router.routes())
        if not self.sealed:
            try:
                await self.barrier.persist_usage()
            except Exception:
                _log.exception("could not persist keyring usage before sealing")
        self.barrier.seal()
        self.router = Router()
        self._catalog = None
        self.tokens = self._new_token_store()
        # Parsed policies and compiled ACLs (with the paths they were asked about) go too.
        self.policies = PolicyStore(StorageView(self.barrier, "sys/policy/"), clock=self.clock)
        self.unseal_progress.reset()
        self.rekey.reset()
        self.generate_root.reset()
        self.generate_root_token.reset()

    async def replace_unseal_key(
        self, config: SealConfig, unseal_key: bytes, root_key: bytes
    ) -> None:
        """Store a new seal configuration and the root key wrapped under a new unseal key."""
        async with self._lock:
            await self.seal_access.store(config, unseal_key, root_key)
            self._seal_config = config
        _log.info(
            "rekey complete (shares=%d, threshold=%d)",
            config.secret_shares,
            config.secret_threshold,
        )

    # -- mounts and policies, as other components ask ----------------------------------

    def mount_for_path(self, path: str) -> MountEntry | None:
        """The mount that serves `path` (longest prefix), if any."""
        matched = self.router.match(path)
        return matched[0].mount if matched else None

    def default_ttls(self) -> tuple[int, int]:
        """The system's (default, max) lease TTL."""
        return self.options.default_lease_ttl, self.options.max_lease_ttl

    def mount_ttls(self, route_path: str) -> tuple[int, int]:
        """(default, max) lease TTL in effect for a mount: its tuning, else the system's."""
        matched = self.router.match(route_path)
        config = matched[0].mount.config if matched else None
        default = (config.default_lease_ttl if config else 0) or self.options.default_lease_ttl
        maximum = (config.max_lease_ttl if config else 0) or self.options.max_lease_ttl
        return min(default, maximum), maximum

    async def check_login_renewal(self, entry: TokenEntry) -> None:
        """Let the auth method that issued a login token refuse its renewal (the user or
        role is gone, or its policies changed)."""
        if not entry.path.startswith("auth/") or entry.path.startswith("auth/token/"):
            return
        matched = self.router.match(entry.path)
        if matched is None:
            return
        route = matched[0]
        if route.backend.renew_auth is not None:
            await route.backend.renew_auth(route.storage, entry.metadata, entry.policies)

    async def policy_exists(self, name: str) -> bool:
        """Whether an ACL policy of that name is stored (or built in)."""
        return await self.policies.exists(name)

    async def shutdown(self) -> None:
        """Seal (if unsealed) and close storage."""
        await self.seal()
        await self.physical.close()


__all__ = ["Catalog", "Core", "CoreOptions", "InitResult"]
