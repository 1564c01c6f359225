"""Wire strings of the transit engine that clients match on (OpenBao 2.x texts). Pure data."""

from __future__ import annotations

# vault-compat: OpenBao transit error and warning texts, verbatim.
ERR_MISSING_PLAINTEXT = "missing plaintext to encrypt"
ERR_MISSING_CIPHERTEXT = "missing ciphertext to decrypt"
ERR_MISSING_BATCH = "missing batch input to process"
ERR_ENCRYPTION_KEY_NOT_FOUND = "encryption key not found"
ERR_SIGNING_KEY_NOT_FOUND = "signing key not found"
ERR_VERIFY_KEY_NOT_FOUND = "signature verification key not found"
ERR_KEY_NOT_FOUND = "key not found"
ERR_NO_SUCH_KEY = "no existing key named {} could be found"
ERR_UNKNOWN_TYPE = "unknown key type {}"
ERR_CONVERGENT_NEEDS_DERIVED = "convergent encryption requires derivation to be enabled"
ERR_MISSING_CONTEXT = (
    "missing 'context' for key derivation; the key was created using a derived key, which "
    "means additional, per-request information must be included in order to perform "
    "operations with the key"
)
ERR_CT_NO_PREFIX = "invalid ciphertext: no prefix"
ERR_CT_VERSION = "invalid ciphertext: version number could not be decoded"
ERR_CT_TOO_NEW = "invalid ciphertext: version is too new"
ERR_CT_BASE64 = "invalid ciphertext: could not decode base64"
ERR_CT_LENGTH = "invalid ciphertext length"
ERR_AUTH_FAILED = "cipher: message authentication failed"
ERR_RSA_DECRYPT = "failed to RSA decrypt the ciphertext: crypto/rsa: decryption error"
ERR_TOO_OLD = "ciphertext or signature version is disallowed by policy (too old)"
ERR_SIG_NO_PREFIX = "invalid signature: no prefix"
ERR_SIG_VERSION = "invalid signature: version number could not be decoded"
ERR_SIG_TOO_NEW = "invalid signature: version is too new"
ERR_SIG_INVALID = "supplied signature is invalid"
ERR_HMAC_NO_PREFIX = "invalid HMAC: no prefix"
ERR_NOTHING_TO_VERIFY = "neither a 'signature' nor an 'hmac' were given to verify"
ERR_BOTH_TO_VERIFY = "provide one of 'signature' or 'hmac', not both"
ERR_NO_ENCRYPTION = "message encryption not supported for key type {}"
ERR_NO_SIGNING = "key type {} does not support signing"
ERR_NO_VERIFYING = "key type {} does not support verification"
ERR_ENCRYPT_VERSION_HIGH = "requested version for encryption is higher than the latest key version"
ERR_ENCRYPT_VERSION_LOW = (
    "requested version for encryption is less than the minimum encryption key version"
)
ERR_SIGN_VERSION_HIGH = "requested version for signing is higher than the latest key version"
ERR_HMAC_VERSION = "key version does not exist; latest key version is {}"
ERR_HASH_ALGORITHM = 'invalid hash algorithm "{}"'
ERR_SIGNATURE_ALGORITHM = "unsupported rsa signature algorithm {}"
ERR_MARSHALING = 'invalid marshaling type "{}"'
ERR_PREHASHED_LENGTH = "prehashed input length does not match the hash algorithm's digest size"
ERR_DELETE_NOT_ALLOWED = "error deleting policy {}: deletion is not allowed for this key"
ERR_MIN_DECRYPT_NEGATIVE = "min decryption version cannot be negative"
ERR_MIN_ENCRYPT_NEGATIVE = "min encryption version cannot be negative"
ERR_MIN_DECRYPT_HIGH = "cannot set min decryption version of {}, latest key version is {}"
ERR_MIN_ENCRYPT_HIGH = "cannot set min encryption version of {}, latest key version is {}"
ERR_MIN_ORDER = (
    "cannot set min encryption/decryption values; min encryption version of {} must be greater "
    "than or equal to min decryption version of {}"
)
ERR_AUTO_ROTATE = "auto rotate period must be 0 to disable or at least an hour"
ERR_HMAC_SIZE = "invalid key size for HMAC key, must be between 32 and 512 bytes"
ERR_HASH_UNSUPPORTED = "unsupported algorithm {}"
ERR_HASH_FORMAT = 'unsupported encoding format {}; must be "hex" or "base64"'
ERR_INPUT_MISSING = "input missing"
ERR_RANDOM_URL_BYTES = (
    'error parsing url-set byte count: strconv.Atoi: parsing "{}": invalid syntax'
)
ERR_RANDOM_TOO_FEW = "'bytes' cannot be less than 1"
ERR_RANDOM_TOO_MANY = "'bytes' should be less than {}"
ERR_RANDOM_FORMAT = 'unsupported encoding format {}; must be "hex" or "base64"'
ERR_RANDOM_SOURCE = 'unsupported entropy source {}; must be "platform" or "seal", or "all"'
ERR_DATAKEY_TYPE = "Invalid path, must be 'plaintext' or 'wrapped'"
ERR_DATAKEY_BITS = "invalid bit length"
ERR_NOT_EXPORTABLE = "private key material is not exportable"
ERR_EXPORT_TYPE = "invalid export type: {}"
ERR_EXPORT_VERSION = "invalid key version"
ERR_EXPORT_VERSION_MISSING = "version does not exist or cannot be found"
ERR_EXPORT_BELOW_MIN = "version for export is below minimum decryption version"
ERR_EXPORT_NO_ENCRYPTION = "encryption not supported for the key"
ERR_EXPORT_NO_SIGNING = "signing not supported for the key"
# OpenBao answers this one with a 500; here it is a 400 with the same text.
ERR_EXPORT_KIND = "unknown key type {} for export type {}"
ERR_CACHE_SIZE = "size must be 0 or a value greater or equal to 10"
ERR_TRIM_NO_KEY = "invalid key name"
ERR_TRIM_MISSING = "missing min_available_version"
ERR_TRIM_NO_MIN_ENCRYPT = (
    "minimum available version cannot be set when minimum encryption version is not set"
)
ERR_TRIM_NO_MIN_DECRYPT = (
    "minimum available version cannot be set when minimum decryption version is not set"
)
# vault-compat: "minmum" is OpenBao's spelling.
ERR_TRIM_BEYOND_ENCRYPT = (
    "minimum available version cannot be greater than minmum encryption version"
)
ERR_TRIM_BEYOND_DECRYPT = (
    "minimum available version cannot be greater than minimum decryption version"
)
ERR_TRIM_BACKWARDS = "minimum available version cannot be decremented"
ERR_TRIM_ZERO = "minimum available version should be positive"
# vault-compat: "less then" is OpenBao's spelling.
ERR_MIN_DECRYPT_BELOW_AVAILABLE = (
    "min decryption version should not be less then min available version"
)
ERR_MIN_ENCRYPT_BELOW_AVAILABLE = (
    "min encryption version should not be less than min available version"
)
# OpenBao answers backup/restore failures with a 500; here they are 400s with its texts.
ERR_BACKUP_KEY_NOT_FOUND = 'key "{}" not found'
ERR_BACKUP_NOT_ALLOWED = "plaintext backup is disallowed on the policy"
ERR_BACKUP_NOT_EXPORTABLE = "exporting is disallowed on the policy"
ERR_RESTORE_MISSING = "'backup' must be supplied"
ERR_RESTORE_EXISTS = 'key "{}" already exists'
ERR_RESTORE_INVALID = "invalid backup: not a Strongroom transit key backup"
ERR_RESTORE_NAME = "invalid key name in backup"
WARN_MIN_ONE = (
    "since Vault 0.3 (prior to the OpenBao fork), transit key numbering starts at 1; forcing "
    "minimum to 1"
)

__all__ = [n for n in dir() if n.startswith(("ERR_", "WARN_"))]
