"""Password policies (OpenBao's `sys/policies/password`): parse the HCL or JSON policy text and
generate passwords that satisfy it.

Pure and synchronous apart from the random source (`secrets`); the store that keeps policies
and the `sys/` endpoints live elsewhere and use this package.

    policy = parse_password_policy('length = 20\\nrule "charset" { charset = "abc" }')
    policy.generate()          # 20 characters from "abc"
    generate_default()         # what the database engine uses when no policy is named
"""

from __future__ import annotations

from strongroom.policy.password._document import ERR_DECODE_PREFIX
from strongroom.policy.password._model import (
    DEFAULT_PASSWORD_POLICY,
    DEFAULT_POLICY_TEXT,
    ERR_LENGTH_BOUNDS,
    ERR_TIMED_OUT,
    MAX_ATTEMPTS,
    MAX_LENGTH,
    MIN_LENGTH,
    CharsetRule,
    PasswordGenerationError,
    PasswordPolicy,
    RandomBytes,
    generate_default,
)
from strongroom.policy.password._parse import (
    ERR_LENGTH_POSITIVE,
    ERR_NO_CHARSET,
    ERR_NOT_PRINTABLE,
    multierror,
    parse_password_policy,
)

__all__ = [
    "DEFAULT_PASSWORD_POLICY",
    "DEFAULT_POLICY_TEXT",
    "ERR_DECODE_PREFIX",
    "ERR_LENGTH_BOUNDS",
    "ERR_LENGTH_POSITIVE",
    "ERR_NOT_PRINTABLE",
    "ERR_NO_CHARSET",
    "ERR_TIMED_OUT",
    "MAX_ATTEMPTS",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "CharsetRule",
    "PasswordGenerationError",
    "PasswordPolicy",
    "RandomBytes",
    "generate_default",
    "multierror",
    "parse_password_policy",
]
