"""The free-form stanzas: `storage`/`ha_storage`, `seal` and OpenBao's declarative `audit`.

Their options are backend-specific, so this module keeps them as Vault's map[string]string
and leaves validating them to the storage backend, seal or audit device that receives them.
It owns only the stanza shapes (labels, `disabled`, `description`, `local`, `options`).
"""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.config._model import AuditStanza, SealStanza, StorageConfig
from strongroom.config._section import Section
from strongroom.config._tree import Node


def parse_storage(section: Section, key: str, legacy: str) -> StorageConfig | None:
    """The one `key` stanza (or its legacy name) of a file, or None if it has neither."""
    found = [
        (name, label, body) for name in (key, legacy) for label, body in section.labelled(name)
    ]
    if not found:
        return None
    names = {name for name, _, _ in found}
    if len(names) > 1:
        raise found[1][2].where.error(f'both "{key}" and its legacy name "{legacy}" are set')
    if len(found) > 1:
        raise found[1][2].where.error(f'only one "{found[1][0]}" stanza is allowed')
    name, label, body = found[0]
    options = Section(body, f'{name} "{label}"').rest()
    return StorageConfig(type=label, options=options, source=str(body.where))


def parse_seal(label: str, body: Node) -> SealStanza:
    """One seal stanza: `disabled` is read, everything else is the seal's options."""
    section = Section(body, f'seal "{label}"')
    disabled = section.boolean("disabled", False)
    return SealStanza(type=label, options=section.rest(), disabled=disabled, source=str(body.where))


def parse_audit(section: Section) -> list[AuditStanza]:
    """Every `audit "<type>" "<path>" { ... }` stanza of a file, in order."""
    devices: list[AuditStanza] = []
    for device_type, by_path in section.labelled("audit"):
        paths = by_path.value
        if (
            not isinstance(paths, Mapping)
            or not paths
            or not all(_is_block(n) for n in paths.values())
        ):
            raise by_path.where.error(
                f'audit "{device_type}" needs a path, as in audit "{device_type}" "<path>" {{...}}'
            )
        for path, body in paths.items():
            items = body.value if isinstance(body.value, tuple) else (body,)
            for item in items:
                devices.append(_audit_device(device_type, path, item))
    return devices


def _is_block(node: Node) -> bool:
    items = node.value if isinstance(node.value, tuple) else (node,)
    return all(item.is_object for item in items)


def _audit_device(device_type: str, path: str, body: Node) -> AuditStanza:
    section = Section(body, f'audit "{device_type}" "{path}"')
    device = AuditStanza(
        type=device_type,
        path=path if path.endswith("/") else path + "/",
        description=section.string("description", ""),
        local=section.boolean("local", False),
        options=section.string_map("options"),
        source=str(body.where),
    )
    section.finish()
    if device.path == "/":
        raise section.block_error("the audit device path must not be empty")
    return device


__all__ = ["parse_audit", "parse_seal", "parse_storage"]
