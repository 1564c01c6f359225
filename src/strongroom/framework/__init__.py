"""Declarative paths, fields and backends (≈ OpenBao sdk/framework). No I/O."""

from strongroom.framework.backend import SECRET_TYPE_KEY, Backend, SecretType, SpecialPaths
from strongroom.framework.field import Field, FieldType, coerce
from strongroom.framework.field_data import FieldData
from strongroom.framework.locks import NamedLocks
from strongroom.framework.openapi import backend_paths, document, help_response
from strongroom.framework.path import ExistenceCheck, Handler, OperationSpec, Path
from strongroom.framework.pattern import Segment, lit, name, one_of, opt, rest, segment

__all__ = [
    "SECRET_TYPE_KEY",
    "Backend",
    "ExistenceCheck",
    "Field",
    "FieldData",
    "FieldType",
    "Handler",
    "NamedLocks",
    "OperationSpec",
    "Path",
    "SecretType",
    "Segment",
    "SpecialPaths",
    "backend_paths",
    "coerce",
    "document",
    "help_response",
    "lit",
    "name",
    "one_of",
    "opt",
    "rest",
    "segment",
]
