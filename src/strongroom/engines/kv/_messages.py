"""Wire texts of the KV engine that clients and tests match on verbatim.

Every string here was observed on OpenBao 2.7 (`bao server -dev`); keep them byte-identical.
They live beside the engine because `errors.py` holds only the cross-cutting ones.
"""

from __future__ import annotations

# vault-compat: core rule for writes (update/create/patch) to a path ending in "/"
ERR_TRAILING_SLASH = "cannot write to a path ending in '/'"
# vault-compat: kv v1 write with an empty body
ERR_MISSING_DATA_FIELDS = "missing data fields"
# vault-compat: kv v2 data write/patch without a "data" field
ERR_NO_DATA = "no data provided"
# vault-compat: kv v2 check-and-set
ERR_CAS_REQUIRED = "check-and-set parameter required for this call"
ERR_CAS_MISMATCH = "check-and-set parameter did not match the current version"
ERR_CAS_PARSE = "error parsing check-and-set parameter"
# vault-compat: kv v2 metadata check-and-set
ERR_METADATA_CAS_REQUIRED = "metadata check-and-set parameter required for this call"
ERR_METADATA_CAS_MISMATCH = "metadata check-and-set parameter does not match the current version"
ERR_METADATA_CAS_NEW = "metadata_cas must be 0 when creating new metadata"
# vault-compat: delete/undelete say "No", destroy says "no"
ERR_NO_VERSION = "No version number provided"
ERR_NO_VERSION_DESTROY = "no version number provided"
# vault-compat: PATCH of a version whose data is JSON null (OpenBao answers 500; we say 400)
ERR_PATCH_NULL = "resource does not exist"
# vault-compat: negative delete_version_after on metadata (POST, then PATCH wording)
ERR_NEGATIVE_DVA = (
    "error converting input for field \"delete_version_after\": cannot provide negative value '{}'"
)
ERR_NEGATIVE_DVA_PATCH = "Field validation failed: " + ERR_NEGATIVE_DVA
# vault-compat: negative max_versions on metadata PATCH (OpenBao answers 500; we say 400)
ERR_NEGATIVE_MAX_VERSIONS_PATCH = (
    "json: cannot unmarshal number {} into Go struct field .max_versions of type uint32"
)
# vault-compat: custom_metadata limits
ERR_CM_PREFIX = "custom_metadata validation failed: "
ERR_CM_TOO_MANY = ERR_CM_PREFIX + "payload must contain at most {} keys, provided {}"
ERR_CM_KEY = ERR_CM_PREFIX + 'length of key "{}" is {} but must be 0 < len(key) <= {}'
ERR_CM_VALUE = ERR_CM_PREFIX + 'length of value for key "{}" is {} but must be 0 < len(value) <= {}'
ERR_CM_TYPE = ERR_CM_PREFIX + "'' expected type 'string', got unconvertible type '{}'"
# vault-compat: PATCH custom_metadata with a number or bool value (OpenBao answers 500; we 400)
ERR_CM_NOT_STRING = (
    "json: cannot unmarshal {} into Go struct field .custom_metadata.{} of type string"
)
# vault-compat: mount option "version" other than "", "1" or "2"
ERR_BAD_VERSION = 'nil backend of type "kv" returned from factory'
# vault-compat: any request to a kv mount while its v1 data is being upgraded to v2 (400)
ERR_UPGRADING = (
    "Upgrading from non-versioned to versioned data. This backend will be unavailable for a "
    "brief period and will resume service shortly."
)
# vault-compat: warnings of the kv v2 catch-all paths (404 with data null)
WARN_ROOT = "Non-listing operations on the root of a K/V v2 mount are not supported."
WARN_INVALID_PATH = (
    "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate "
    "API endpoints to use. If using the OpenBao CLI, use 'bao kv {}' for this operation."
)


def multierror(messages: list[str]) -> str:
    """Go's go-multierror text, which OpenBao sends as one error string."""
    count = len(messages)
    head = "1 error occurred:" if count == 1 else f"{count} errors occurred:"
    return head + "\n" + "".join(f"\t* {m}\n" for m in messages) + "\n"


__all__ = [
    "ERR_BAD_VERSION",
    "ERR_CAS_MISMATCH",
    "ERR_CAS_PARSE",
    "ERR_CAS_REQUIRED",
    "ERR_CM_KEY",
    "ERR_CM_NOT_STRING",
    "ERR_CM_TOO_MANY",
    "ERR_CM_TYPE",
    "ERR_CM_VALUE",
    "ERR_METADATA_CAS_MISMATCH",
    "ERR_METADATA_CAS_NEW",
    "ERR_METADATA_CAS_REQUIRED",
    "ERR_MISSING_DATA_FIELDS",
    "ERR_NEGATIVE_DVA",
    "ERR_NEGATIVE_DVA_PATCH",
    "ERR_NEGATIVE_MAX_VERSIONS_PATCH",
    "ERR_NO_DATA",
    "ERR_NO_VERSION",
    "ERR_NO_VERSION_DESTROY",
    "ERR_PATCH_NULL",
    "ERR_TRAILING_SLASH",
    "ERR_UPGRADING",
    "WARN_INVALID_PATH",
    "WARN_ROOT",
    "multierror",
]
