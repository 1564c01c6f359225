"""Wire strings of the AppRole auth method, as OpenBao 2.7 sends them.

Only constants and the small formatters that build them; no logic. Where OpenBao answers 500
for bad input we answer 400 with the same text, minus Go's multierror wrapping and the
`%!w(<nil>)` formatting residue some of its messages carry.
"""

from __future__ import annotations

from collections.abc import Sequence

# vault-compat: login
ERR_MISSING_ROLE_ID = "missing role_id"
ERR_MISSING_SECRET_ID = "missing secret_id"
ERR_INVALID_CREDENTIALS = "invalid role or secret ID"
ERR_SECRET_ID_CIDR = 'source address "{}" unauthorized through CIDR restrictions on the secret ID'
ERR_ROLE_CIDR = 'source address "{}" unauthorized by CIDR restrictions on the role'

# vault-compat: roles
ERR_ROLE_MISSING = 'role "{}" does not exist'
ERR_ROLE_ID_IN_USE = "role_id already in use"
ERR_ROLE_ID_INVALID = "invalid role_id supplied, or failed to generate a role_id"
ERR_NO_CONSTRAINT = "at least one constraint should be enabled on the role"
ERR_LOCAL_SECRET_IDS = "local_secret_ids can only be modified during role creation"
ERR_SECRET_ID_NUM_USES_NEGATIVE = "secret_id_num_uses cannot be negative"
ERR_TOKEN_NUM_USES_NEGATIVE = "'token_num_uses' cannot be negative"
ERR_NEGATIVE_DURATION = (
    "error converting input for field \"{}\": cannot provide negative value '{}'"
)
ERR_BATCH_PERIODIC = (
    "'token_type' cannot be 'batch' or 'default_batch' when set to generate periodic tokens"
)
ERR_STRICT_BIND = "'token_strictly_bind_ip' conflicts with 'token_bound_cidrs'; set only one"
ERR_TOKEN_TTL_ABOVE_MAX = "token_ttl should not be greater than token_max_ttl"
ERR_TOKEN_MAX_BELOW_TTL = "token_max_ttl should be greater than or equal to token_ttl"
ERR_CIDR = "failed to validate CIDR blocks: invalid CIDR address: {}"
ERR_TOKEN_CIDR = "failed to validate token CIDR blocks: invalid CIDR address: {}"
ERR_TOKEN_ADDRESS = (
    'error parsing address "{0}": Unable to convert "{0}" to an IPv4 or IPv6 address, '
    "or a UNIX Socket"
)
ERR_TOKEN_ADDRESS_FIELD = "failed to parse token_bound_cidrs: " + ERR_TOKEN_ADDRESS
WARN_BOUND_CIDR_LIST = (
    'The "bound_cidr_list" field is deprecated and will be removed. '
    'Please use "secret_id_bound_cidrs" instead.'
)

# vault-compat: secret IDs
ERR_NOT_BOUND = "bind_secret_id is not set on the role"
ERR_MISSING_ACCESSOR = "missing secret_id_accessor"
ERR_NO_ACCESSOR = 'failed to find accessor entry for secret_id_accessor: "{}"'
ERR_NUM_USES_NEGATIVE = "num_uses cannot be negative"
ERR_NUM_USES_ABOVE_ROLE = "num_uses cannot be higher than the role's secret_id_num_uses"
ERR_TTL_ABOVE_ROLE = "ttl cannot be longer than the role's secret_id_ttl"
ERR_DUPLICATE_SECRET_ID = "failed to store secret_id: SecretID is already registered"
ERR_CIDR_SUBSET = (
    "failed to verify subset relationship between CIDR blocks on the role {} "
    "and CIDR blocks on the secret ID {}"
)
ERR_METADATA = "failed to parse metadata: {}"
ERR_METADATA_FORMAT = "failed to parse the input: invalid <key,value> format"
ERR_METADATA_PAIR = 'failed to parse the input: invalid <key,value> pair: key: "{}" value: "{}"'
ERR_METADATA_VALUE = 'invalid value for key "{}"'

# vault-compat: tidy
WARN_TIDY = (
    "Tidy operation successfully started. Any information from the operation will be "
    "printed to OpenBao's server logs."
)


def go_quoted_list(items: Sequence[str]) -> str:
    """Go's `%q` of a []string: `["a" "b"]`."""
    return "[" + " ".join(f'"{item}"' for item in items) + "]"
