"""Audit: the broker (fail closed), the devices (file, socket, syslog), Vault's record format
with HMAC redaction, and a tamper-evidence chain with its verifier.

Must not: know about HTTP, the router or any engine; the core pipeline builds `AuditEntry`
values and calls `AuditBroker.log_request` / `log_response`.
"""

from strongroom.audit.broker import DEFAULT_TIMEOUT, AuditBroker, AuditFailed, hash_value
from strongroom.audit.device import AuditDevice
from strongroom.audit.entry import AuditEntry
from strongroom.audit.factory import DEVICE_TYPES, new_device
from strongroom.audit.file_device import AuditWriteError, FileDevice
from strongroom.audit.format import FormatOptions, format_request, format_response
from strongroom.audit.salt import Salter
from strongroom.audit.socket_device import SocketDevice
from strongroom.audit.syslog_device import SyslogDevice
from strongroom.audit.verify import Finding, VerifyResult, verify_files, verify_lines

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEVICE_TYPES",
    "AuditBroker",
    "AuditDevice",
    "AuditEntry",
    "AuditFailed",
    "AuditWriteError",
    "FileDevice",
    "Finding",
    "FormatOptions",
    "Salter",
    "SocketDevice",
    "SyslogDevice",
    "VerifyResult",
    "format_request",
    "format_response",
    "hash_value",
    "new_device",
    "verify_files",
    "verify_lines",
]
