"""The enabled audit devices: declared in the server config (OpenBao's `audit` stanza) or,
when `unsafe_allow_api_audit_creation` is set, through `sys/audit`. API-enabled devices are
persisted inside the barrier at `core/audit`; each device's salt lives in its own view."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from strongroom.audit import AuditBroker, new_device
from strongroom.barrier import StorageView
from strongroom.errors import InvalidRequest
from strongroom.storage import Entry

if TYPE_CHECKING:
    from strongroom.core.core import Core

_log = logging.getLogger("strongroom.audit")

AUDIT_TABLE_PATH = "core/audit"
# vault-compat: OpenBao's refusal when API audit creation is not allowed
ERR_API_AUDIT = (
    "cannot enable audit device via API; use declarative, config-based audit device "
    "management instead"
)


@dataclass(frozen=True, slots=True)
class AuditSpec:
    """One audit device as declared or enabled."""

    path: str
    type: str
    description: str = ""
    options: dict[str, str] = field(default_factory=dict)
    local: bool = False
    declared: bool = False


async def load(core: Core, broker: AuditBroker, declared: list[AuditSpec]) -> list[AuditSpec]:
    """Open every declared and persisted device; a device that cannot open is a hard error for
    a declared one (the operator asked for it) and a logged error for a persisted one."""
    specs = list(declared)
    stored = await core.barrier.get(AUDIT_TABLE_PATH)
    if stored is not None:
        known = {s.path for s in specs}
        specs += [
            s for s in (AuditSpec(**raw) for raw in json.loads(stored.value)) if s.path not in known
        ]
    for spec in specs:
        device = await new_device(spec.path, spec.type, spec.options, _salt_view(core, spec.path))
        broker.add(device)
    return specs


def _salt_view(core: Core, path: str) -> StorageView:
    return StorageView(core.barrier, f"sys/audit/{path.rstrip('/')}/")


async def enable(core: Core, spec: AuditSpec) -> None:
    if not core.options.unsafe_allow_api_audit_creation:
        raise InvalidRequest(ERR_API_AUDIT)
    if core.audit.get(spec.path) is not None:
        raise InvalidRequest(f"path already in use: {spec.path}")
    try:
        device = await new_device(spec.path, spec.type, spec.options, _salt_view(core, spec.path))
    except OSError as exc:
        raise InvalidRequest(f"cannot open audit device {spec.path}: {exc.strerror}") from None
    core.audit.add(device)
    core.audit_specs.append(spec)
    await _persist(core)
    _log.info("enabled audit device %s (type %s)", spec.path, spec.type)


async def disable(core: Core, path: str) -> None:
    spec = next((s for s in core.audit_specs if s.path == path), None)
    if spec is None:
        return
    if spec.declared:
        raise InvalidRequest(f"cannot disable audit device {path}: it is declared in the config")
    device = core.audit.remove(path)
    if device is not None:
        await device.close()
    core.audit_specs.remove(spec)
    await _persist(core)


async def _persist(core: Core) -> None:
    api = [asdict(s) for s in core.audit_specs if not s.declared]
    await core.barrier.put(Entry(AUDIT_TABLE_PATH, json.dumps(api).encode()))


__all__ = ["AUDIT_TABLE_PATH", "ERR_API_AUDIT", "AuditSpec", "disable", "enable", "load"]
