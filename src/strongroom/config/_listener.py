"""The `listener "tcp"` stanza (Vault's configutil listener parsing, TCP only).

Owns listener keys, their defaults and the checks that need only the one stanza (TLS files
present, TLS version range, mutually exclusive client-cert flags). It must not open sockets
or read certificate files: the server does that when it binds.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from strongroom.config._model import DEFAULT_MAX_REQUEST_SIZE, ListenerConfig
from strongroom.config._section import Section
from strongroom.config._tree import Node

_DEFAULT = ListenerConfig(type="tcp")
_TLS_VERSIONS = ("tls12", "tls13")
_OLD_TLS_VERSIONS = ("tls10", "tls11")


def parse_listener(label: str, body: Node) -> ListenerConfig:
    """One listener stanza; only the "tcp" type exists here."""
    section = Section(body, f'listener "{label}"')
    if label != "tcp":
        raise section.where.error(f'listener type "{label}" is not supported (only "tcp")')
    forwarded = _forwarded_for(section)
    listener = ListenerConfig(
        type=label,
        address=section.string("address", _DEFAULT.address),
        cluster_address=section.string("cluster_address"),
        tls_disable=section.boolean("tls_disable", _DEFAULT.tls_disable),
        tls_cert_file=section.string("tls_cert_file"),
        tls_key_file=section.string("tls_key_file"),
        tls_client_ca_file=section.string("tls_client_ca_file"),
        tls_min_version=_tls_version(section, "tls_min_version") or _DEFAULT.tls_min_version,
        tls_max_version=_tls_version(section, "tls_max_version"),
        tls_cipher_suites=section.string("tls_cipher_suites"),
        tls_require_and_verify_client_cert=section.boolean(
            "tls_require_and_verify_client_cert", _DEFAULT.tls_require_and_verify_client_cert
        ),
        tls_disable_client_certs=section.boolean(
            "tls_disable_client_certs", _DEFAULT.tls_disable_client_certs
        ),
        max_request_size=_max_request_size(section),
        # 0 stands for "the server's default_max_request_duration"; the merger resolves it.
        max_request_duration=section.duration("max_request_duration", 0),
        disable_unauthed_rekey_endpoints=section.boolean(
            "disable_unauthed_rekey_endpoints", _DEFAULT.disable_unauthed_rekey_endpoints
        ),
        disable_unauthed_generate_root_endpoints=section.boolean(
            "disable_unauthed_generate_root_endpoints",
            _DEFAULT.disable_unauthed_generate_root_endpoints,
        ),
        unauthenticated_metrics_access=_metrics_access(section),
        x_forwarded_for_authorized_addrs=forwarded.authorized_addrs,
        x_forwarded_for_hop_skips=forwarded.hop_skips,
        x_forwarded_for_reject_not_authorized=forwarded.reject_not_authorized,
        x_forwarded_for_reject_not_present=forwarded.reject_not_present,
        source=str(section.where),
    )
    section.finish()
    _check_tls(section, listener)
    return listener


def _tls_version(section: Section, key: str) -> str | None:
    node = section.get(key)
    version = section.string(key)
    if node is None or version is None:
        return None
    if version in _OLD_TLS_VERSIONS:
        hint = ': TLS 1.2 is the minimum (use "tls12" or "tls13")'
        raise section.key_error(node, f'unsupported {key} "{version}"', hint)
    if version not in _TLS_VERSIONS:
        raise section.invalid(key, node, '"tls12" or "tls13"')
    return version


def _max_request_size(section: Section) -> int:
    # Vault: 0 means the default size and a negative value means no limit at all.
    size = section.integer("max_request_size", DEFAULT_MAX_REQUEST_SIZE)
    return DEFAULT_MAX_REQUEST_SIZE if size == 0 else size


def _metrics_access(section: Section) -> bool:
    body = section.single_block("telemetry")
    if body is None:
        return _DEFAULT.unauthenticated_metrics_access
    telemetry = Section(body, f"{section.context} telemetry")
    allowed = telemetry.boolean("unauthenticated_metrics_access", False)
    telemetry.finish()
    return allowed


@dataclass(frozen=True, slots=True)
class _ForwardedFor:
    authorized_addrs: tuple[str, ...]
    hop_skips: int
    reject_not_authorized: bool
    reject_not_present: bool


def _forwarded_for(section: Section) -> _ForwardedFor:
    key = "x_forwarded_for_authorized_addrs"
    addrs = section.strings(key)
    for addr in addrs:
        try:
            ipaddress.ip_network(addr, strict=False)
        except ValueError:
            node = section.get(key)
            if node is not None:
                raise section.invalid(key, node, f'IP addresses or CIDRs, got "{addr}"') from None
    hops_key = "x_forwarded_for_hop_skips"
    hops = section.integer(hops_key, _DEFAULT.x_forwarded_for_hop_skips)
    hops_node = section.get(hops_key)
    if hops < 0 and hops_node is not None:
        raise section.invalid(hops_key, hops_node, "a number that is not negative")
    return _ForwardedFor(
        authorized_addrs=addrs,
        hop_skips=hops,
        reject_not_authorized=section.boolean(
            "x_forwarded_for_reject_not_authorized", _DEFAULT.x_forwarded_for_reject_not_authorized
        ),
        reject_not_present=section.boolean(
            "x_forwarded_for_reject_not_present", _DEFAULT.x_forwarded_for_reject_not_present
        ),
    )


def _check_tls(section: Section, listener: ListenerConfig) -> None:
    if listener.tls_disable:
        return
    missing = [
        key
        for key, value in (
            ("tls_cert_file", listener.tls_cert_file),
            ("tls_key_file", listener.tls_key_file),
        )
        if not value
    ]
    if missing:
        names = " and ".join(f'"{key}"' for key in missing)
        raise section.block_error(
            f"{names} {'is' if len(missing) == 1 else 'are'} required when TLS is enabled"
            " (set tls_disable = true to serve plain HTTP)"
        )
    maximum = listener.tls_max_version
    if maximum is not None and _TLS_VERSIONS.index(maximum) < _TLS_VERSIONS.index(
        listener.tls_min_version
    ):
        raise section.block_error(
            f'tls_max_version "{maximum}" is lower than tls_min_version'
            f' "{listener.tls_min_version}"'
        )
    if listener.tls_require_and_verify_client_cert and listener.tls_disable_client_certs:
        raise section.block_error(
            '"tls_require_and_verify_client_cert" and "tls_disable_client_certs"'
            " are mutually exclusive"
        )
