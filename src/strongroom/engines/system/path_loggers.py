"""`sys/loggers` and `sys/loggers/:name`: read and change log levels at run time.

Loggers are Python's `logging` loggers under `strongroom.`, named without that prefix
(`core`, `http`, `audit`, `expiration` ...); DELETE returns them to the configured level.
"""

from __future__ import annotations

import logging

from strongroom.engines.system._core import SystemCore
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, Path, lit, rest
from strongroom.logical import Operation, Request, Response

_PREFIX = "strongroom"
# vault-compat: level names OpenBao accepts
_LEVELS = {
    "trace": logging.DEBUG,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "off": logging.CRITICAL + 10,
}
_NAMES = {
    logging.DEBUG: "debug",
    logging.INFO: "info",
    logging.WARNING: "warn",
    logging.ERROR: "error",
    logging.CRITICAL + 10: "off",
}


def _known() -> dict[str, logging.Logger]:
    loggers = {"core": logging.getLogger(f"{_PREFIX}.core")}
    for name, logger in logging.root.manager.loggerDict.items():
        if name.startswith(_PREFIX + ".") and isinstance(logger, logging.Logger):
            loggers[name[len(_PREFIX) + 1 :]] = logger
    return loggers


def _level(data: FieldData) -> int:
    text = data.string("level").strip().lower()
    if text not in _LEVELS:
        raise InvalidRequest(f"invalid level provided: unknown log level: {text}")
    return _LEVELS[text]


def _name(logger: logging.Logger) -> str:
    return _NAMES.get(logger.getEffectiveLevel(), "info")


def logger_paths(core: SystemCore) -> list[Path]:
    async def read_all(request: Request, data: FieldData) -> Response | None:
        return Response.of({name: _name(lg) for name, lg in sorted(_known().items())})

    async def write_all(request: Request, data: FieldData) -> Response | None:
        level = _level(data)
        for logger in _known().values():
            logger.setLevel(level)
        return None

    async def reset_all(request: Request, data: FieldData) -> Response | None:
        for logger in _known().values():
            logger.setLevel(logging.NOTSET)  # back to the configured root level
        return None

    async def read_one(request: Request, data: FieldData) -> Response | None:
        logger = _known().get(data.string("name"))
        return Response.of({} if logger is None else {data.string("name"): _name(logger)})

    async def write_one(request: Request, data: FieldData) -> Response | None:
        level = _level(data)
        logging.getLogger(f"{_PREFIX}.{data.string('name')}").setLevel(level)
        return None

    async def reset_one(request: Request, data: FieldData) -> Response | None:
        logging.getLogger(f"{_PREFIX}.{data.string('name')}").setLevel(logging.NOTSET)
        return None

    level = {"level": Field(FieldType.STRING, "trace, debug, info, warn, error or off.")}
    return [
        Path(
            pattern=lit("loggers"),
            operations={
                Operation.READ: read_all,
                Operation.UPDATE: write_all,
                Operation.DELETE: reset_all,
            },
            fields=level,
            synopsis="Read or set the level of every logger.",
        ),
        Path(
            pattern=lit("loggers/") + rest("name"),
            operations={
                Operation.READ: read_one,
                Operation.UPDATE: write_one,
                Operation.DELETE: reset_one,
            },
            fields={"name": Field(FieldType.STRING, "Logger name, e.g. core."), **level},
            synopsis="Read or set one logger's level.",
        ),
    ]


__all__ = ["logger_paths"]
