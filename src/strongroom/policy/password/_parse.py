"""`parse_password_policy`: policy text into a validated `PasswordPolicy`.

Owns the meaning of `length`, `rule "charset"`, `charset` and `min-chars`, and OpenBao 2.7.2's
checks and messages as observed (they come from Go's mapstructure decoder, so they name Go
types): `length` and `min-chars` are integers (a float is truncated; a string, bool, list or
object is an error); `charset` is a string (or a list of code points); unknown keys are ignored;
only `charset` rules exist; then, all reported together: the length is positive, the rules'
`min-chars` fit in it, the union of the charsets is not empty, and it is printable.
Duplicate characters and non-ASCII letters are allowed (the union is de-duplicated).

The length bounds (4 to 100) are the policy store's check, as they are OpenBao's endpoint's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from strongroom.errors import InvalidRequest
from strongroom.policy.password._document import ObjectList, read_document
from strongroom.policy.password._model import CharsetRule, PasswordPolicy
from strongroom.types import JSON

# vault-compat: OpenBao's password policy messages.
ERR_LENGTH_POSITIVE = "length must be > 0"
ERR_NO_CHARSET = "no charset specified"
ERR_NOT_PRINTABLE = "non-printable character in charset"
_DECODE_FAILED = "decoding failed due to the following error(s):\n\n"
_RULES = "unable to parse rules"
_RULE_INFO = f"{_RULES}: unable to get rule info"


def parse_password_policy(text: str) -> PasswordPolicy:
    """Parse and validate a password policy (HCL or JSON); InvalidRequest says what is wrong,
    in OpenBao's words."""
    document = read_document(text)
    length = _decode_length(document)
    rules = [_charset_rule(kind, body) for kind, body in _rule_entries(document)]
    problems = _problems(length, rules)
    if problems:
        raise InvalidRequest(multierror(problems))
    return PasswordPolicy(length=length, rules=tuple(rules))


def multierror(messages: list[str]) -> str:
    """Go's go-multierror text, which OpenBao sends as one error string."""
    head = "1 error occurred:" if len(messages) == 1 else f"{len(messages)} errors occurred:"
    return head + "\n" + "".join(f"\t* {message}\n" for message in messages) + "\n"


def _decode_length(document: Mapping[str, JSON]) -> int:
    if "length" not in document:
        return 0
    length, problem = _integer("length", document["length"])
    if problem is not None:
        raise InvalidRequest(f"failed to decode configuration: {_DECODE_FAILED}{problem}")
    return length


def _rule_entries(document: Mapping[str, JSON]) -> list[tuple[str, Mapping[str, JSON]]]:
    """(rule type, rule body) for every rule, in order."""
    raw = document.get("rule", [])
    if not isinstance(raw, list):
        raise InvalidRequest(f"unable to retrieve rules: {_not_a_list('', raw)}")
    problems = [_not_a_map(f"[{i}]", item) for i, item in enumerate(raw) if not _is_map(item)]
    if problems:
        raise InvalidRequest(f"unable to retrieve rules: {_DECODE_FAILED}" + "\n".join(problems))
    entries: list[tuple[str, Mapping[str, JSON]]] = []
    for item in raw:
        if not item:
            raise InvalidRequest(f"{_RULE_INFO}: rule is empty")
        for kind, data in item.items():
            entries.append((kind, _rule_body(data)))
    return entries


def _rule_body(data: JSON) -> Mapping[str, JSON]:
    """The body of one rule: the first object of its list (HCL 1 wraps block bodies in one)."""
    if not isinstance(data, list):
        raise InvalidRequest(f"{_RULE_INFO}: unable to get rule data: {_not_a_list('', data)}")
    problems = [_not_a_map(f"[{i}]", item) for i, item in enumerate(data) if not _is_map(item)]
    if problems:
        detail = _DECODE_FAILED + "\n".join(problems)
        raise InvalidRequest(f"{_RULE_INFO}: unable to get rule data: {detail}")
    if not data:
        raise InvalidRequest(f"{_RULE_INFO}: rule info cannot be empty")
    body: Mapping[str, JSON] = data[0]
    return body


def _charset_rule(kind: str, body: Mapping[str, JSON]) -> CharsetRule:
    if kind != "charset":
        raise InvalidRequest(
            f"{_RULES}: unable to parse rule {kind}: unrecognized rule type {kind}"
        )
    charset, problems = _charset(body.get("charset"))
    min_chars = 0
    if "min-chars" in body:
        min_chars, problem = _integer("min-chars", body["min-chars"])
        problems += [problem] if problem is not None else []
    if problems:
        detail = _DECODE_FAILED + "\n".join(problems)
        raise InvalidRequest(
            f"{_RULES}: unable to parse rule charset: failed to parse charset restriction: {detail}"
        )
    return CharsetRule(charset, min_chars)


def _charset(value: JSON) -> tuple[str, list[str]]:
    """The charset as text, or the decoding problems (a string, or a list of code points)."""
    if value is None or isinstance(value, str):
        return value or "", []
    if not isinstance(value, list):
        return "", [f"'charset' source data must be an array or slice, got {_go_type(value)}"]
    chars: list[str] = []
    problems: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, int | float) and not isinstance(item, bool):
            chars.append(_code_point(item))
        else:
            problems.append(
                f"'charset[{i}]' expected type 'int32', got unconvertible type '{_go_type(item)}'"
            )
    return "".join(chars), problems


def _code_point(number: float) -> str:
    code = int(number) if math.isfinite(number) else -1
    # Not a character: keep a non-printable stand-in so validation refuses it, as OpenBao does.
    return chr(code) if 0 <= code <= 0x10FFFF else "\x00"


def _integer(key: str, value: JSON) -> tuple[int, str | None]:
    """(value, None), or (0, the mapstructure problem); floats truncate toward zero."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    if isinstance(value, float):
        return (int(value) if math.isfinite(value) else 0), None
    return 0, f"'{key}' expected type 'int', got unconvertible type '{_go_type(value)}'"


def _problems(length: int, rules: list[CharsetRule]) -> list[str]:
    problems: list[str] = []
    if length <= 0:
        problems.append(ERR_LENGTH_POSITIVE)
    else:
        needed = sum(rule.min_chars for rule in rules)
        if needed > length:
            problems.append(
                f"specified rules require at least {needed} characters but {length} is specified"
            )
    union = {char for rule in rules for char in rule.charset}
    if not union:
        problems.append(ERR_NO_CHARSET)
    if not all(char.isprintable() for char in union):
        problems.append(ERR_NOT_PRINTABLE)
    return problems


def _is_map(value: JSON) -> bool:
    return isinstance(value, Mapping)


def _not_a_list(key: str, value: JSON) -> str:
    return f"'{key}' source data must be an array or slice, got {_go_type(value)}"


def _not_a_map(key: str, value: JSON) -> str:
    return (
        f"'{key}' expected type 'map[string]interface {{}}', "
        f"got unconvertible type '{_go_type(value)}'"
    )


def _go_type(value: JSON) -> str:
    """The Go type HCL 1 would have decoded `value` into (mapstructure names it in errors)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, ObjectList):
        return "[]map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    return "string"  # strings, and JSON null (which HCL 1 decodes as "")


__all__ = [
    "ERR_LENGTH_POSITIVE",
    "ERR_NOT_PRINTABLE",
    "ERR_NO_CHARSET",
    "multierror",
    "parse_password_policy",
]
