"""HCL policy text into raw `path` stanzas, through python-hcl2, keeping line numbers.

Owns the HCL side only: the grammar errors (translated into short `failed to parse policy:
line L, column C: ...` messages), the rule that values are literals (Vault's HCL 1 decoder
never evaluated variables, functions or `${...}` interpolation, so neither do we), and nested
blocks such as `allowed_parameters { k = [] }` becoming objects. It must not know what a key
inside a stanza means.
"""

from __future__ import annotations

import json

import hcl2
from hcl2.rules.abstract import LarkRule
from hcl2.rules.base import AttributeRule, BlockRule
from hcl2.rules.containers import ObjectElemKeyRule, ObjectElemRule, ObjectRule, TupleRule
from hcl2.rules.expressions import ExprTermRule, UnaryOpRule
from hcl2.rules.literal_rules import FloatLitRule, IdentifierRule, IntLitRule, LiteralValueRule
from hcl2.rules.strings import HeredocTemplateRule, StringPartRule, StringRule
from hcl2.rules.whitespace import NewLineOrCommentRule
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from strongroom.policy._raw import Entry, RawRule, invalid_key, parse_error, rules_from_value
from strongroom.types import JSON

_OPTIONS = hcl2.SerializationOptions(
    strip_string_quotes=True,
    explicit_blocks=False,
    with_comments=False,
    preserve_heredocs=False,
    preserve_scientific_notation=False,
)
# The grammar rules a literal value may be built from; anything else is an expression.
_LITERAL = (
    ExprTermRule,
    LiteralValueRule,
    IntLitRule,
    FloatLitRule,
    StringRule,
    StringPartRule,
    HeredocTemplateRule,
    TupleRule,
    ObjectRule,
    ObjectElemRule,
    ObjectElemKeyRule,
    NewLineOrCommentRule,
)


def read_hcl(text: str) -> list[RawRule]:
    """The `path` stanzas of an HCL policy; the top-level `name` is ignored."""
    try:
        start = hcl2.parses(text)
    except UnexpectedInput as exc:
        line = exc.line if isinstance(exc.line, int) and exc.line > 0 else None
        where = f"line {line}, column {exc.column}: " if line is not None else ""
        raise parse_error(where + syntax_reason(exc)) from None
    except (LarkError, ValueError, RuntimeError) as exc:  # pragma: no cover - defensive
        # python-hcl2 may raise these for input its grammar accepts but cannot build; no such
        # input is known, but a parser failure must still be a 400, never a 500.
        raise parse_error(f"invalid HCL: {exc}") from None
    rules: list[RawRule] = []
    for child in start.body.children:
        line = _line(child)
        if isinstance(child, AttributeRule):
            key = str(child.identifier.serialize(_OPTIONS))
            if key == "path":
                rules.extend(rules_from_value(_value(child, line), line))
            elif key != "name":
                raise invalid_key(key, line)
        elif isinstance(child, BlockRule):
            rules.append(_path_block(child, line))
    return rules


def _path_block(block: BlockRule, line: int | None) -> RawRule:
    labels = [str(label.serialize(_OPTIONS)) for label in block.labels]
    if labels[0] != "path":
        raise invalid_key(labels[0], line)
    if len(labels) != 2:
        raise parse_error(
            'a path block takes exactly one label, its pattern: path "<pattern>"', line=line
        )
    pattern = labels[1]
    entries: list[Entry] = []
    for child in block.body.children:
        child_line = _line(child) or line
        if isinstance(child, AttributeRule):
            key = str(child.identifier.serialize(_OPTIONS))
            entries.append((key, _value(child, child_line, pattern), child_line))
        elif isinstance(child, BlockRule):
            entries.append(_nested_block(child, child_line, pattern))
    return RawRule(pattern, tuple(entries), line)


def _nested_block(block: BlockRule, line: int | None, pattern: str) -> Entry:
    """`allowed_parameters { k = [..] }` is HCL 1's spelling of `allowed_parameters = {..}`."""
    labels = [str(label.serialize(_OPTIONS)) for label in block.labels]
    if len(labels) != 1:
        raise invalid_key(labels[0], line, pattern)
    merged: dict[str, JSON] = {}
    for child in block.body.children:
        if isinstance(child, AttributeRule):
            key = str(child.identifier.serialize(_OPTIONS))
            value = _value(child, _line(child) or line, pattern)
            previous = merged.get(key)
            if isinstance(previous, list) and isinstance(value, list):
                value = previous + value  # HCL 1 appends repeated list keys
            merged[key] = value
        elif isinstance(child, BlockRule):
            raise invalid_key(str(child.labels[0].serialize(_OPTIONS)), _line(child), pattern)
    return labels[0], merged, line


def _value(rule: AttributeRule, line: int | None, pattern: str | None = None) -> JSON:
    key = str(rule.identifier.serialize(_OPTIONS))
    if not _is_literal(rule.expression, parent=None):
        detail = f"{key}: only literal values are allowed (no variables, functions or ${{...}})"
        raise parse_error(detail, line=line, pattern=pattern)
    try:
        return rule.expression.serialize(_OPTIONS)
    except (RuntimeError, ValueError, TypeError) as exc:  # pragma: no cover - defensive
        raise parse_error(f"{key}: cannot read value: {exc}", line=line, pattern=pattern) from None


def _is_literal(node: object, parent: object) -> bool:
    if not isinstance(node, LarkRule):
        return True  # a token
    if isinstance(node, UnaryOpRule):  # a negative number is a literal; `!x` is not
        return _is_negative_number(node)
    literal = isinstance(node, _LITERAL) or (
        isinstance(node, IdentifierRule) and isinstance(parent, ObjectElemKeyRule)
    )
    return literal and all(_is_literal(child, node) for child in node.children)


def _is_negative_number(node: UnaryOpRule) -> bool:
    operand = [child for child in node.children if isinstance(child, LarkRule)]
    return (
        len(operand) == 1
        and isinstance(operand[0], ExprTermRule)
        and any(isinstance(c, IntLitRule | FloatLitRule) for c in operand[0].children)
    )


def _line(rule: object) -> int | None:
    # python-hcl2 8.x keeps lark's propagated positions only in `_meta` (as config/ reads them).
    line = getattr(getattr(rule, "_meta", None), "line", None)
    return line if isinstance(line, int) else None


def syntax_reason(exc: UnexpectedInput, *, bad_char: str = "unexpected character") -> str:
    """What a lark parse error says, in HCL's words (`bad_char` names a stray character)."""
    if isinstance(exc, UnexpectedCharacters):
        return f"{bad_char} {json.dumps(exc.char)}"
    if not isinstance(exc, UnexpectedToken):  # pragma: no cover - LALR raises only these two
        return "syntax error"
    if exc.token.type == "$END":
        return "unexpected end of input"
    text = str(exc.token.value)
    words = text.split()
    found = json.dumps(words[0][:30]) if words and text[0] not in "\r\n" else "newline"
    return f"unexpected {found}"


__all__ = ["read_hcl", "syntax_reason"]
