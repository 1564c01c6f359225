"""`strongroom server`: dev mode, or production mode from `-config` files.

Owns the process lifecycle: logging, storage, the core, the listeners and the signals
(SIGHUP reloads TLS certificates, SIGTERM/SIGINT seal and stop).
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import signal
import sys
from dataclasses import dataclass, replace

from strongroom.builtins import catalog
from strongroom.cli import heap
from strongroom.cli.listeners import Listener, start_listener, stop_listener
from strongroom.cli.logs import configure
from strongroom.config import ListenerConfig, ServerConfig, StorageConfig
from strongroom.core import Core, CoreOptions
from strongroom.core.audit_table import AuditSpec
from strongroom.errors import ConfigError
from strongroom.logical.mounts import MountEntry
from strongroom.seal import SealConfig
from strongroom.storage import CachedStorage, open_storage

_log = logging.getLogger("strongroom.server")


@dataclass(frozen=True, slots=True)
class DevOptions:
    """`-dev` flags."""

    root_token_id: str | None = None
    listen_address: str = "127.0.0.1:8200"


def dev_config(options: DevOptions, base: ServerConfig | None) -> ServerConfig:
    """Dev mode: in-memory storage and one plaintext listener, over any given config."""
    listener = ListenerConfig(
        type="tcp",
        address=options.listen_address,
        tls_disable=True,
        disable_unauthed_rekey_endpoints=False,
        disable_unauthed_generate_root_endpoints=False,
        source="-dev",
    )
    config = base or ServerConfig()
    telemetry = config.telemetry
    if telemetry.prometheus_retention_time == 0:
        # like `bao server -dev`: the Prometheus format is served without a telemetry stanza
        telemetry = replace(telemetry, prometheus_retention_time=86400)
    return replace(
        config,
        storage=StorageConfig(type="inmem", options={}, source="-dev"),
        listeners=(listener, *config.listeners),
        telemetry=telemetry,
    )


def check_supported(config: ServerConfig) -> None:
    """Refuse settings this version parses but does not implement, rather than ignore them."""
    unsupported: list[str] = []
    if config.seals:
        unsupported.append(f'seal "{config.seals[0].type}" ({config.seals[0].source})')
    if config.ha_storage is not None:
        unsupported.append(f"ha_storage ({config.ha_storage.source})")
    if config.raw_storage_endpoint:
        unsupported.append("raw_storage_endpoint")
    if unsupported:
        raise ConfigError("not supported by this version of Strongroom: " + ", ".join(unsupported))
    if config.storage is None:
        raise ConfigError("a storage stanza is required")


def core_options(config: ServerConfig) -> CoreOptions:
    storage = config.storage
    return CoreOptions(
        default_lease_ttl=config.default_lease_ttl,
        max_lease_ttl=config.max_lease_ttl,
        cluster_name=config.cluster_name,
        api_addr=config.api_addr or "",
        cluster_addr=config.cluster_addr or "",
        storage_type=storage.type if storage else "inmem",
        unsafe_allow_api_audit_creation=config.unsafe_allow_api_audit_creation,
        metrics_prefix=config.telemetry.metrics_prefix or "vault",
        prometheus_enabled=config.telemetry.prometheus_retention_time > 0,
        usage_gauge_period=config.telemetry.usage_gauge_period,
        audit_devices=tuple(
            AuditSpec(
                path=a.path,
                type=a.type,
                description=a.description,
                options=dict(a.options),
                local=a.local,
                declared=True,
            )
            for a in config.audit_devices
        ),
    )


async def serve(config: ServerConfig, dev: DevOptions | None = None) -> int:
    """Run until SIGTERM/SIGINT; returns the exit code."""
    check_supported(config)
    storage = config.storage
    if storage is None:
        raise ConfigError("a storage stanza is required")
    physical = open_storage(storage.type, storage.options)
    if not config.disable_cache and storage.type != "inmem":
        physical = CachedStorage(physical, size=config.cache_size)
    core = Core(physical, catalog=catalog, options=core_options(config))
    core.on_unseal(heap.settle)
    core.on_seal(heap.thaw)
    listeners: list[Listener] = []
    try:
        for listener_config in config.listeners:
            listeners.append(await start_listener(core, listener_config))
        if dev is not None:
            await _dev_bootstrap(core, dev, listeners[0])
        if config.pid_file:
            with open(config.pid_file, "w") as handle:
                handle.write(f"{os.getpid()}\n")
        heap.settle()
        refresher = asyncio.get_running_loop().create_task(heap.refresh_every())
        try:
            await _wait_for_stop(core, listeners)
        finally:
            refresher.cancel()
    finally:
        for running in listeners:
            await stop_listener(running)
        await core.shutdown()
        _log.info("server stopped")
    return 0


async def _wait_for_stop(core: Core, listeners: list[Listener]) -> None:
    loop = asyncio.get_running_loop()
    reopen: list[asyncio.Task[None]] = []  # held so the reopen tasks are not collected early
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    def reload() -> None:
        _log.info("SIGHUP received: reloading TLS certificates and reopening audit files")
        for running in listeners:
            if running.tls is not None:
                running.tls.reload()
        reopen.append(loop.create_task(core.audit.reopen()))

    loop.add_signal_handler(signal.SIGHUP, reload)
    await stop.wait()
    _log.info("shutdown requested")


async def _dev_bootstrap(core: Core, dev: DevOptions, listener: Listener) -> None:
    result = await core.initialize(
        SealConfig(secret_shares=1, secret_threshold=1), root_token_id=dev.root_token_id
    )
    await core.submit_unseal_share(result.shares[0])
    # Like `bao server -dev`: a kv-v2 engine at secret/.
    secret = replace(
        MountEntry.new("secret/", "kv", description="key/value secret storage"),
        options={"version": "2"},
    )
    await core.mounts.enable("mounts", secret)
    address = f"{listener.scheme}://{listener.config.address}"
    print(
        _DEV_BANNER.format(
            address=address,
            unseal_key=base64.b64encode(result.shares[0]).decode(),
            root_token=result.root_token,
        ),
        file=sys.stdout,
        flush=True,
    )


_DEV_BANNER = """\
WARNING! dev mode is enabled! In this mode, Strongroom runs entirely in-memory
and starts unsealed with a single unseal key. The root token is already
authenticated to the CLI, so you can immediately begin using Strongroom.

You may need to set the following environment variables:

    $ export VAULT_ADDR='{address}'
    $ export BAO_ADDR='{address}'

The unseal key and root token are displayed below in case you want to
seal/unseal the server or re-authenticate.

Unseal Key: {unseal_key}
Root Token: {root_token}

Development mode should NOT be used in production installations!
"""


def run(config: ServerConfig, dev: DevOptions | None = None) -> int:
    """Configure logging and run the event loop (uvloop when available)."""
    configure(config.log_level, config.log_format)
    try:
        import uvloop

        return uvloop.run(serve(config, dev))
    except ImportError:  # pragma: no cover - uvloop is a dependency on Linux
        return asyncio.run(serve(config, dev))


__all__ = ["DevOptions", "check_supported", "dev_config", "run", "serve"]
