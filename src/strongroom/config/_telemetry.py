"""The top-level `telemetry` stanza (Vault's go-metrics telemetry settings).

Owns telemetry keys and defaults. Only the Prometheus sink exists here, so the keys of the
sinks Vault also offers (statsite, statsd, dogstatsd, circonus, stackdriver) are refused with
a clear error instead of being accepted and silently doing nothing. This module must not set
up any metrics itself.
"""

from __future__ import annotations

from strongroom.config._model import TelemetryConfig
from strongroom.config._section import Section
from strongroom.config._tree import Node

_DEFAULT = TelemetryConfig()
# Key prefix -> sink name, for the sinks Vault has and Strongroom does not.
_UNSUPPORTED_SINKS = (
    ("statsite_", "statsite"),
    ("statsd_", "statsd"),
    ("dogstatsd_", "dogstatsd"),
    ("circonus_", "circonus"),
    ("stackdriver_", "stackdriver"),
)


def parse_telemetry(body: Node) -> TelemetryConfig:
    """The telemetry stanza, with defaults for what it leaves out."""
    section = Section(body, "telemetry")
    _refuse_unsupported_sinks(section)
    config = TelemetryConfig(
        prometheus_retention_time=_non_negative(
            section, "prometheus_retention_time", _DEFAULT.prometheus_retention_time
        ),
        disable_hostname=section.boolean("disable_hostname", _DEFAULT.disable_hostname),
        enable_hostname_label=section.boolean(
            "enable_hostname_label", _DEFAULT.enable_hostname_label
        ),
        metrics_prefix=section.string("metrics_prefix", _DEFAULT.metrics_prefix),
        usage_gauge_period=_usage_gauge_period(section),
        maximum_gauge_cardinality=section.integer(
            "maximum_gauge_cardinality", _DEFAULT.maximum_gauge_cardinality
        ),
        lease_metrics_epsilon=_non_negative(
            section, "lease_metrics_epsilon", _DEFAULT.lease_metrics_epsilon
        ),
        num_lease_metrics_buckets=section.integer(
            "num_lease_metrics_buckets", _DEFAULT.num_lease_metrics_buckets
        ),
        add_lease_metrics_namespace_labels=section.boolean(
            "add_lease_metrics_namespace_labels", _DEFAULT.add_lease_metrics_namespace_labels
        ),
        filter_default=section.boolean("filter_default", _DEFAULT.filter_default),
        prefix_filter=_prefix_filter(section),
    )
    section.finish()
    return config


def _refuse_unsupported_sinks(section: Section) -> None:
    for key in section.keys():
        for prefix, sink in _UNSUPPORTED_SINKS:
            if key.startswith(prefix):
                node = section.get(key)
                if node is not None:
                    raise section.key_error(
                        node,
                        f'telemetry sink "{sink}" is not supported',
                        f' ("{key}"); only Prometheus is (prometheus_retention_time)',
                        scoped=False,
                    )


def _non_negative(section: Section, key: str, default: int) -> int:
    seconds = section.duration(key, default)
    node = section.get(key)
    if seconds < 0 and node is not None:
        raise section.invalid(key, node, "a duration that is not negative")
    return seconds


def _usage_gauge_period(section: Section) -> int:
    # Vault accepts "none" to turn the usage gauges off, which we keep as 0.
    key = "usage_gauge_period"
    node = section.get(key)
    if node is not None and isinstance(node.value, str) and node.value.lower() == "none":
        return 0
    return _non_negative(section, key, _DEFAULT.usage_gauge_period)


def _prefix_filter(section: Section) -> tuple[str, ...]:
    # go-metrics rules are "+prefix" (allow) or "-prefix" (block); anything else is a typo.
    key = "prefix_filter"
    rules = section.strings(key)
    node = section.get(key)
    for rule in rules:
        if node is not None and (len(rule) < 2 or rule[0] not in "+-"):
            raise section.invalid(key, node, f'rules like "+vault.token" or "-vault", got "{rule}"')
    return rules


__all__ = ["parse_telemetry"]
