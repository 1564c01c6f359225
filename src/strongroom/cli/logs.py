"""Server logging: one line per event, `standard` (hclog-like) or `json`.

Tracebacks are folded into the same line so a log shipper never splits an event. Nothing here
knows secrets: callers never pass tokens or keys to the logger (they travel as SecretValue).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

# vault-compat: level names of `log_level`
LEVELS = {
    "trace": logging.DEBUG,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "off": logging.CRITICAL + 10,
}
_NAMES = {
    logging.DEBUG: "DEBUG",
    logging.INFO: "INFO",
    logging.WARNING: "WARN",
    logging.ERROR: "ERROR",
    logging.CRITICAL: "ERROR",
}


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _module(record: logging.LogRecord) -> str:
    return record.name.removeprefix("strongroom.")


class StandardFormatter(logging.Formatter):
    """`2026-11-27T04:00:00.000Z [INFO]  core: message`"""

    def format(self, record: logging.LogRecord) -> str:
        level = _NAMES.get(record.levelno, record.levelname)
        line = f"{_timestamp(record)} [{level}] {' ' * (5 - len(level))}{_module(record)}: "
        line += record.getMessage()
        if record.exc_info:
            line += " | " + self.formatException(record.exc_info).replace("\n", " | ")
        return line


class JSONFormatter(logging.Formatter):
    """hclog's JSON shape: `@level`, `@message`, `@module`, `@timestamp`."""

    def format(self, record: logging.LogRecord) -> str:
        event = {
            "@level": _NAMES.get(record.levelno, record.levelname).lower(),
            "@message": record.getMessage(),
            "@module": _module(record),
            "@timestamp": _timestamp(record),
        }
        if record.exc_info:
            event["error"] = self.formatException(record.exc_info)
        return json.dumps(event)


def configure(level: str = "info", fmt: str = "standard") -> None:
    """Install the one handler on the root logger."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JSONFormatter() if fmt == "json" else StandardFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(LEVELS.get(level, logging.INFO))


__all__ = ["LEVELS", "JSONFormatter", "StandardFormatter", "configure"]
