"""Vault's username templates: a safe subset of Go's text/template (sdk/helper/template). Pure.

Owns compiling and rendering `username_template` strings such as

    {{ printf "v-%s-%s" (.DisplayName | truncate 8) (random 20) | truncate 63 }}

with the fields a secrets engine provides (`.DisplayName`, `.RoleName`, ...). It must not do
I/O; time and randomness come in through `render(now=..., entropy=...)`.

The language: literal text; actions `{{ ... }}` with the trim markers `{{- ` and ` -}}`;
comments `{{/* ... */}}`; pipelines `a | f x | g`, where each stage's value becomes the LAST
argument of the next function; parenthesised sub-pipelines; interpreted strings with Go's
escapes, raw backquoted strings and integer literals; `.Field` and `.` itself. A function name
used as an argument is called with no arguments (`printf "%s" uuid`), as in Go.

Functions (Vault's set, same semantics): printf, random, truncate, truncate_sha256, uppercase,
lowercase, replace, sha256, base64, decode_base64, hex, decode_hex, unix_time,
unix_time_millis, timestamp, uuid. Unknown functions, wrong argument counts and argument types
are rejected by `compile_template`; a missing field is an error at render time (Go's
`missingkey=error`).

Not supported, rejected with a `TemplateError`: if/else/range/with/define/template/block/
break/continue/end, variables (`$x`, `:=`), `true`/`false`/`nil`, floats and character
constants, field access on a function or parenthesised result, Go's other builtins (`print`,
`len`, `eq`, ...) and Vault's `glob` (it only makes sense inside `if`). Differences from Go:
lengths in truncate/truncate_sha256 are UTF-8 bytes as in Go, but a cut never splits a
character (Go's can, leaving invalid UTF-8); uppercase/lowercase keep characters whose case
mapping would change the length; printf supports the verbs `%s %v %d %q %%` only.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from strongroom.framework._gofmt import Value, quote, sprint, sprintf
from strongroom.framework._template_funcs import (
    FUNCTIONS,
    INT,
    MAP,
    STRING,
    CallError,
    Context,
    Function,
)
from strongroom.framework._template_lex import TemplateError, Token, lex, locate

# vault-compat: the plugins' defaultUserNameTemplate / DefaultUserNameTemplate constants.
POSTGRESQL_DEFAULT_USERNAME_TEMPLATE = (
    '{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 8) (.RoleName | truncate 8) '
    "(random 20) (unix_time) | truncate 63 }}"
)
MYSQL_DEFAULT_USERNAME_TEMPLATE = (
    '{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 10) (.RoleName | truncate 10) '
    "(random 20) (unix_time) | truncate 32 }}"
)
# The mysql-legacy, mysql-rds and mysql-aurora plugins: MySQL < 5.7 allows 16 characters.
MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE = (
    '{{ printf "v-%s-%s-%s" (.RoleName | truncate 4) (random 20) | truncate 16 }}'
)


@dataclass(frozen=True, slots=True)
class _Const:
    value: str | int
    pos: int


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    pos: int


@dataclass(frozen=True, slots=True)
class _Dot:
    pos: int


@dataclass(frozen=True, slots=True)
class _Call:
    function: Function
    args: tuple[_Node, ...]
    pos: int


_Node = _Const | _Field | _Dot | _Call
_Operand = _Node | Token  # a Token operand is always a function name


def _type_of(node: _Node) -> str:
    if isinstance(node, _Const):
        return STRING if isinstance(node.value, str) else INT
    if isinstance(node, _Dot):
        return MAP
    return STRING  # fields are strings, and every function returns a string


def _describe(node: _Node) -> str:
    if isinstance(node, _Const):
        return quote(node.value) if isinstance(node.value, str) else str(node.value)
    if isinstance(node, _Field):
        return "." + node.name
    return "." if isinstance(node, _Dot) else node.function.name


class _Parser:
    """Recursive descent over one action's tokens, building typed nodes."""

    def __init__(self, source: str, tokens: Sequence[Token], pos: int) -> None:
        self._source = source
        self._tokens = tokens
        self._index = 0
        self._pos = pos

    def _error(self, pos: int, message: str) -> TemplateError:
        return TemplateError(locate(self._source, pos, message))

    def pipeline(self, open_paren: int | None = None) -> _Node:
        stages: list[list[_Operand]] = [[]]
        while True:
            tok = self._tokens[self._index] if self._index < len(self._tokens) else None
            self._index += 1
            if tok is None and open_paren is not None:
                raise self._error(open_paren, "unclosed left paren")
            if tok is None or tok.kind == "rparen":
                if tok is not None and open_paren is None:
                    raise self._error(tok.pos, "unexpected right paren")
                break
            self._pos = tok.pos
            if tok.kind == "pipe":
                if not stages[-1]:
                    raise self._error(tok.pos, "missing value for command")
                stages.append([])
                continue
            if stages[-1] and not tok.spaced:
                raise self._error(tok.pos, f"unexpected {tok.text} in operand")
            stages[-1].append(self._operand(tok))
        if not stages[-1]:
            raise self._error(self._pos, "missing value for command")
        return self._chain(stages)

    def _operand(self, tok: Token) -> _Operand:
        if tok.kind == "lparen":
            return self.pipeline(open_paren=tok.pos)
        if tok.kind == "ident":
            if tok.text not in FUNCTIONS:
                raise self._error(tok.pos, f'function "{tok.text}" not defined')
            return tok
        if tok.kind == "dot":
            return _Dot(tok.pos)
        if tok.kind == "field":
            names = tok.text.split(".")[1:]
            if len(names) > 1:
                raise self._error(tok.pos, f"can't evaluate field {names[1]} in type string")
            return _Field(names[0], tok.pos)
        if tok.value is None:  # unreachable: the lexer gives every literal a value
            raise self._error(tok.pos, f"unexpected {tok.text}")
        return _Const(tok.value, tok.pos)

    def _chain(self, stages: list[list[_Operand]]) -> _Node:
        node = self._command(stages[0], None)
        for number, operands in enumerate(stages[1:], start=2):
            head = operands[0]
            if not isinstance(head, Token):
                raise self._error(head.pos, f"non executable command in pipeline stage {number}")
            node = self._call(head, operands[1:], node)
        return node

    def _command(self, operands: list[_Operand], piped: _Node | None) -> _Node:
        head = operands[0]
        if isinstance(head, Token):
            return self._call(head, operands[1:], piped)
        if len(operands) > 1:
            raise self._error(head.pos, f"can't give argument to non-function {_describe(head)}")
        return head

    def _call(self, head: Token, operands: Sequence[_Operand], piped: _Node | None) -> _Call:
        function = FUNCTIONS[head.text]
        args = [self._call(op, (), None) if isinstance(op, Token) else op for op in operands]
        if piped is not None:
            args.append(piped)
        want = len(function.params)
        if len(args) < want or (len(args) > want and not function.variadic):
            least = "at least " if function.variadic else ""
            problem = f"wrong number of args for {head.text}: want {least}{want} got {len(args)}"
            raise self._error(head.pos, problem)
        for number, (arg, param) in enumerate(zip(args, function.params, strict=False), start=1):
            self._check_type(function.name, number, arg, param)
        first = args[0] if args else None
        if function.name == "printf" and isinstance(first, _Const):
            try:  # reject unsupported verbs in a literal format now rather than per render
                sprintf(str(first.value), ())
            except ValueError as exc:
                raise self._error(first.pos, f"printf: {exc}") from None
        return _Call(function, tuple(args), head.pos)

    def _check_type(self, name: str, number: int, arg: _Node, param: str) -> None:
        got = _type_of(arg)
        if param == got:
            return
        if isinstance(arg, _Const):
            expected = "integer" if param == INT else param
            problem = f"expected {expected}; found {_describe(arg)}"
        else:
            problem = f"wrong type for value; expected {param}; got {got}"
        raise self._error(arg.pos, f"{name}: argument {number}: {problem}")


@dataclass(frozen=True, slots=True)
class Template:
    """A compiled username template. Immutable; render it as often as needed."""

    source: str
    nodes: tuple[str | _Node, ...] = field(repr=False)

    def render(
        self,
        fields: Mapping[str, str],
        now: datetime | None = None,
        entropy: Callable[[int], bytes] | None = None,
    ) -> str:
        """The template's text for `fields`. Raises `TemplateError` on runtime errors.

        `now` (default: the current UTC time; a naive value is read as UTC) feeds unix_time,
        unix_time_millis and timestamp. `entropy(n)` returns n random bytes for random and
        uuid (default `secrets.token_bytes`); inject both for deterministic output.
        """
        moment = now if now is not None else datetime.now(UTC)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        ctx = Context(fields, moment, entropy or secrets.token_bytes)
        try:
            return "".join(
                n if isinstance(n, str) else sprint(self._eval(n, ctx)) for n in self.nodes
            )
        except RecursionError:
            raise TemplateError("template nests too deeply") from None

    def _eval(self, node: _Node, ctx: Context) -> Value:
        if isinstance(node, _Const):
            return node.value
        if isinstance(node, _Dot):
            return ctx.fields
        if isinstance(node, _Field):
            value = ctx.fields.get(node.name)
            if not isinstance(value, str):
                # vault-compat: text/template with Option("missingkey=error") on a map.
                problem = f'map has no entry for key "{node.name}"'
                if value is not None:
                    problem = f"field {node.name} is a {type(value).__name__}, not a string"
                raise self._failure(node, problem)
            return value
        args = [self._eval(arg, ctx) for arg in node.args]
        try:
            return node.function.impl(ctx, args)
        except (CallError, ValueError) as exc:
            problem = f"error calling {node.function.name}: {exc}"
            raise self._failure(node, problem) from None

    def _failure(self, node: _Node, problem: str) -> TemplateError:
        where = f'executing "template" at <{_describe(node)}>: {problem}'
        return TemplateError(locate(self.source, node.pos, where))


def compile_template(text: str) -> Template:
    """Parse `text`; raises `TemplateError` for syntax errors, unknown functions, bad arity."""
    if text == "":
        raise TemplateError("missing template")  # vault-compat: template.NewTemplate
    nodes: list[str | _Node] = []
    for item in lex(text):
        if isinstance(item, str):
            nodes.append(item)
            continue
        pos, tokens = item
        try:
            nodes.append(_Parser(text, tokens, pos).pipeline())
        except RecursionError:
            raise TemplateError(locate(text, pos, "template nests too deeply")) from None
    return Template(text, tuple(nodes))


__all__ = [
    "MYSQL_DEFAULT_USERNAME_TEMPLATE",
    "MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE",
    "POSTGRESQL_DEFAULT_USERNAME_TEMPLATE",
    "Template",
    "TemplateError",
    "compile_template",
]
