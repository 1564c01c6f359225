"""Password policy text (HCL or JSON) into the document shape OpenBao's HCL 1 decoder builds.

Owns the syntax side only: python-hcl2 parses, and this module rebuilds what HCL 1 would have
decoded, because OpenBao's validation messages depend on that shape:

- a block `rule "charset" { ... }` appends `{"charset": [{...}]}` to the list under `rule`
  (each further label nests one more `{label: [...]}`; a block without labels appends its body);
- an object value (`x = { ... }`, or any JSON object under a key) becomes a one-element list
  of that object, which `ObjectList` marks so type errors can name it as Go does;
- a repeated attribute keeps its last value; a heredoc keeps its trailing newline;
- only literal values are allowed (HCL 1 had no expressions), but `"${...}"` inside a string is
  plain text, as it was in HCL 1.

It must not know what `length` or `rule` mean.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import hcl2
from hcl2.rules.abstract import LarkRule
from hcl2.rules.base import AttributeRule, BlockRule, BodyRule
from hcl2.rules.containers import ObjectRule, TupleRule
from hcl2.rules.expressions import ExprTermRule, UnaryOpRule
from hcl2.rules.literal_rules import FloatLitRule, IntLitRule, LiteralValueRule
from hcl2.rules.strings import HeredocTemplateRule, StringRule
from lark.exceptions import LarkError, UnexpectedInput

from strongroom.errors import InvalidRequest
from strongroom.policy._hcl import syntax_reason
from strongroom.types import JSON

# vault-compat: OpenBao prefixes an HCL syntax error with this.
ERR_DECODE_PREFIX = "unable to decode"

_OPTIONS = hcl2.SerializationOptions(
    strip_string_quotes=True,
    explicit_blocks=False,
    with_comments=False,
    preserve_heredocs=False,
    preserve_scientific_notation=False,
)
_SCALARS = (LiteralValueRule, IntLitRule, FloatLitRule, StringRule)
_INT64 = -(2**63)


class ObjectList(list[JSON]):
    """An object value as HCL 1 decodes it: a list holding the one object (Go's
    `[]map[string]interface {}`), told apart from a written list (`[]interface {}`)."""


def read_document(text: str) -> dict[str, JSON]:
    """The HCL 1 shaped document of a password policy; InvalidRequest on a syntax error."""
    document = _load_json(text)
    if document is not None:
        return {str(key): _object_value(value) for key, value in document.items()}
    try:
        start = hcl2.parses(text)
    except UnexpectedInput as exc:
        raise _syntax_error(
            exc.line, exc.column, syntax_reason(exc, bad_char="illegal char")
        ) from None
    except (LarkError, ValueError, RuntimeError) as exc:  # pragma: no cover - defensive
        # python-hcl2 may raise these for input its grammar accepts but cannot build; none is
        # known, but bad input must still be a 400.
        raise InvalidRequest(f"{ERR_DECODE_PREFIX}: {exc}") from None
    return _body(start.body)


def _load_json(text: str) -> Mapping[str, JSON] | None:
    """The JSON object `text` holds, or None when it is not one (then it is HCL)."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return None
    return document if isinstance(document, Mapping) else None


def _reject_constant(name: str) -> JSON:
    raise ValueError(f"{name} is not valid JSON")


def _object_value(value: JSON) -> JSON:
    """A JSON value under an object key, as HCL 1 decodes it (objects become ObjectLists)."""
    if isinstance(value, int) and not isinstance(value, bool) and not _INT64 <= value < -_INT64:
        # vault-compat: HCL 1 reads integers with Go's strconv.ParseInt (64 bits).
        detail = f"strconv.ParseInt: parsing {json.dumps(str(value))}: value out of range"
        raise InvalidRequest(f"{ERR_DECODE_PREFIX}: {detail}")
    if isinstance(value, Mapping):
        return ObjectList([_object(value)])
    if isinstance(value, list):
        return [
            _object(item) if isinstance(item, Mapping) else _object_value(item) for item in value
        ]
    return value


def _object(value: Mapping[str, JSON]) -> dict[str, JSON]:
    return {str(key): _object_value(item) for key, item in value.items()}


def _body(body: BodyRule) -> dict[str, JSON]:
    document: dict[str, JSON] = {}
    for child in body.children:
        if isinstance(child, AttributeRule):
            document[str(child.identifier.serialize(_OPTIONS))] = _object_value(
                _expression(child.expression)
            )
        elif isinstance(child, BlockRule):
            labels = [str(label.serialize(_OPTIONS)) for label in child.labels]
            value: JSON = _body(child.body)
            for label in reversed(labels[1:]):
                value = {label: ObjectList([value])}
            existing = document.get(labels[0])
            if isinstance(existing, list):
                existing.append(value)
            else:
                document[labels[0]] = ObjectList([value])
    return document


def _expression(node: object) -> JSON:
    """The literal value of an expression; anything that is not a literal is refused."""
    if isinstance(node, ExprTermRule) and not node.parentheses:
        return _expression(node.expression)
    if isinstance(node, _SCALARS) or (isinstance(node, UnaryOpRule) and _negative_number(node)):
        return node.serialize(_OPTIONS)
    if isinstance(node, HeredocTemplateRule):
        return _heredoc(str(node.children[0]))
    if isinstance(node, TupleRule):
        return [_expression(element) for element in node.elements]
    if isinstance(node, ObjectRule):
        return {
            str(element.key.serialize(_OPTIONS)): _expression(element.expression)
            for element in node.elements
        }
    meta = getattr(node, "_meta", None)
    raise _syntax_error(
        getattr(meta, "line", None),
        getattr(meta, "column", None),
        "only literal values are allowed (no variables, functions or operators)",
    )


def _negative_number(node: UnaryOpRule) -> bool:
    operands = [child for child in node.children if isinstance(child, LarkRule)]
    return (
        len(operands) == 1
        and isinstance(operands[0], ExprTermRule)
        and isinstance(operands[0].expression, IntLitRule | FloatLitRule)
    )


def _heredoc(token: str) -> str:
    """`<<EOT\\nline\\nEOT` is "line\\n" in HCL 1; `<<-EOT` also drops the common indent."""
    lines = token.rstrip("\n").split("\n")
    body = lines[1:-1]
    if lines[0].startswith("<<-"):
        indents = [len(line) - len(line.lstrip()) for line in body if line.strip()]
        cut = min(indents, default=0)
        body = [line[cut:] for line in body]
    return "".join(line + "\n" for line in body)


def _syntax_error(line: object, column: object, reason: str) -> InvalidRequest:
    where = f"At {line}:{column}: " if isinstance(line, int) and line > 0 else ""
    return InvalidRequest(f"{ERR_DECODE_PREFIX}: {where}{reason}")


__all__ = ["ERR_DECODE_PREFIX", "ObjectList", "read_document"]
