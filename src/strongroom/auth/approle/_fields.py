"""Declared fields of AppRole paths (descriptions follow OpenBao's), and the checks every
write shares: non-negative durations. Pure."""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.auth._tokenutil import TOKEN_FIELDS
from strongroom.auth.approle._messages import ERR_NEGATIVE_DURATION
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType

ROLE_NAME = Field(FieldType.STRING, "Name of the role. Must be less than 4096 bytes.")

BIND_SECRET_ID = Field(
    FieldType.BOOL,
    "Impose secret_id to be presented when logging in using this role. Defaults to 'true'.",
    default=True,
)
SECRET_ID_BOUND_CIDRS = Field(
    FieldType.COMMA_STRING_SLICE,
    "Comma separated string or list of CIDR blocks. If set, specifies the blocks of IP "
    "addresses which can perform the login operation.",
)
BOUND_CIDR_LIST = Field(
    FieldType.COMMA_STRING_SLICE,
    'Deprecated: Please use "secret_id_bound_cidrs" instead. Comma separated string or list '
    "of CIDR blocks. If set, specifies the blocks of IP addresses which can perform the login "
    "operation.",
    deprecated=True,
)
SECRET_ID_NUM_USES = Field(
    FieldType.INT,
    "Number of times a SecretID can access the role, after which the SecretID will expire. "
    "Defaults to 0 meaning that the secret_id is of unlimited use.",
)
SECRET_ID_TTL = Field(
    FieldType.DURATION,
    "Duration in seconds after which the issued SecretID should expire. Defaults to 0, "
    "meaning no expiration.",
)
LOCAL_SECRET_IDS = Field(
    FieldType.BOOL,
    "If set, the secret IDs generated using this role will be cluster local. This can only "
    "be set during role creation and once set, it can't be reset later.",
)
ROLE_ID = Field(FieldType.STRING, "Identifier of the role. Defaults to a UUID.")
POLICIES = Field(
    FieldType.COMMA_STRING_SLICE,
    'Use "token_policies" instead. If this and "token_policies" are both specified, only '
    '"token_policies" will be used.',
    deprecated=True,
)
PERIOD = Field(
    FieldType.DURATION,
    'Use "token_period" instead. If this and "token_period" are both specified, only '
    '"token_period" will be used.',
    deprecated=True,
)
STRICTLY_BIND_IP = Field(
    FieldType.BOOL,
    "If true, CIDRs for the token will be strictly bound to the source IP address of the "
    "login request.",
)
SECRET_ID = Field(FieldType.STRING, "SecretID attached to the role.", sensitive=True)
SECRET_ID_ACCESSOR = Field(FieldType.STRING, "Accessor of the SecretID")
METADATA = Field(
    FieldType.STRING,
    "Metadata to be tied to the SecretID. This should be a JSON formatted string containing "
    "the metadata in key value pairs.",
)
CIDR_LIST = Field(
    FieldType.COMMA_STRING_SLICE,
    "Comma separated string or list of CIDR blocks enforcing secret IDs to be used from "
    "specific set of IP addresses. If 'bound_cidr_list' is set on the role, then the list "
    "of CIDR blocks listed here should be a subset of the CIDR blocks listed on the role.",
)
SECRET_TOKEN_BOUND_CIDRS = Field(
    FieldType.COMMA_STRING_SLICE,
    "Comma separated string or list of CIDR blocks. If set, specifies the blocks of IP "
    "addresses which can use the returned token. Should be a subset of the token CIDR blocks "
    "listed on the role, if any.",
)
NUM_USES = Field(
    FieldType.INT,
    "Number of times this SecretID can be used, after which the SecretID expires. Overrides "
    "secret_id_num_uses role option when supplied. May not be higher than role's "
    "secret_id_num_uses.",
)
TTL = Field(
    FieldType.DURATION,
    "Duration in seconds after which this SecretID expires. Overrides secret_id_ttl role "
    "option when supplied. May not be longer than role's secret_id_ttl.",
)

ROLE_FIELDS: dict[str, Field] = {
    "role_name": ROLE_NAME,
    "bind_secret_id": BIND_SECRET_ID,
    "bound_cidr_list": BOUND_CIDR_LIST,
    "secret_id_bound_cidrs": SECRET_ID_BOUND_CIDRS,
    "secret_id_num_uses": SECRET_ID_NUM_USES,
    "secret_id_ttl": SECRET_ID_TTL,
    "local_secret_ids": LOCAL_SECRET_IDS,
    "role_id": ROLE_ID,
    "policies": POLICIES,
    "period": PERIOD,
    "token_strictly_bind_ip": STRICTLY_BIND_IP,
    **TOKEN_FIELDS,
}

SECRET_ID_FIELDS: dict[str, Field] = {
    "role_name": ROLE_NAME,
    "metadata": METADATA,
    "cidr_list": CIDR_LIST,
    "token_bound_cidrs": SECRET_TOKEN_BOUND_CIDRS,
    "num_uses": NUM_USES,
    "ttl": TTL,
}

LIST_FIELDS = {
    "after": Field(
        FieldType.STRING,
        "Optional entry to list begin listing after, not required to exist. Only used for listing.",
        query=True,
    ),
    "limit": Field(
        FieldType.INT,
        "Optional number of entries to return; defaults to all entries. Only used for listing.",
        query=True,
    ),
}


def page(keys: list[str], data: FieldData) -> list[str]:
    """`keys` (sorted) from after `after`, at most `limit` of them when `limit` > 0."""
    after = data.string("after")
    limit = data.integer("limit")
    chosen = [k for k in sorted(keys) if k > after] if after else sorted(keys)
    return chosen[:limit] if limit > 0 else chosen


def check_durations(data: FieldData, fields: Mapping[str, Field]) -> None:
    """400 for a negative duration among the fields sent (OpenBao's duration fields are
    unsigned)."""
    for key, spec in fields.items():
        if spec.type is FieldType.DURATION and data.has(key):
            seconds = data.duration(key)
            if seconds < 0:
                raise InvalidRequest(ERR_NEGATIVE_DURATION.format(key, seconds))


def role_name(data: FieldData) -> str:
    """The role named in the URL, folded to lower case as OpenBao does."""
    return data.string("role_name").lower()


__all__ = [
    "LIST_FIELDS",
    "ROLE_FIELDS",
    "SECRET_ID_FIELDS",
    "check_durations",
    "page",
    "role_name",
]
