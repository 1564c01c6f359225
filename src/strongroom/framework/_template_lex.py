"""The lexer for username templates (text/template's lex.go, for the subset we accept). Pure.

Owns: splitting a template into literal text and actions, the trim markers `{{- ` and ` -}}`,
comments, and the tokens inside an action (strings, integers, fields, `.`, function names,
`|`, parentheses). Parsing and evaluation belong to `framework/template.py`; constructs that
subset leaves out (keywords, variables, booleans, floats, character constants) are rejected
here with a message that says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from strongroom.framework._gofmt import quote, unquote

_SPACE = " \t\r\n"
_LEFT, _RIGHT, _TRIM = "{{", "}}", "-"
_KEYWORDS = frozenset(
    {"if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"}
)
_CONSTANTS = frozenset({"true", "false", "nil"})
_IDENT = re.compile(r"[^\W\d]\w*")
_FIELD = re.compile(r"(?:\.[^\W\d]\w*)+")
_NUMBER = re.compile(r"[+-]?\.?[0-9](?:[0-9A-Za-z_.]|(?<=[eEpP])[+-])*")
_GO_INT = re.compile(r"0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|[1-9][0-9_]*|0[0-7_]*")
_SINGLE = {"|": "pipe", "(": "lparen", ")": "rparen"}
_INT64 = 1 << 63


class TemplateError(ValueError):
    """A username template that does not compile, or that failed to render."""


@dataclass(frozen=True, slots=True)
class Token:
    """One token inside an action. `spaced` is whether whitespace came before it."""

    kind: str  # pipe, lparen, rparen, string, number, field, dot, ident
    text: str
    pos: int
    spaced: bool
    value: str | int | None = None


def locate(source: str, pos: int, message: str) -> str:
    """`message` prefixed with Go's `template:LINE:COL:` (column counted from 0, as in Go)."""
    line = source.count("\n", 0, pos) + 1
    column = pos - (source.rfind("\n", 0, pos) + 1)
    return f"template:{line}:{column}: {message}"


def _is_space(ch: str) -> bool:
    return ch != "" and ch in _SPACE


def _error(source: str, pos: int, message: str) -> TemplateError:
    return TemplateError(locate(source, pos, message))


def lex(source: str) -> Iterator[str | tuple[int, list[Token]]]:
    """Literal text (already trimmed) and `(position, tokens)` for each action."""
    pos = 0
    trim_next = False
    while True:
        left = source.find(_LEFT, pos)
        text = source[pos:] if left < 0 else source[pos:left]
        if trim_next:
            text = text.lstrip(_SPACE)
        if left < 0:
            if text:
                yield text
            return
        # vault-compat: "{{-" trims only when followed by a space ("{{-3}}" is the number -3).
        trim = source.startswith(_TRIM, left + 2) and _is_space(source[left + 3 : left + 4])
        if trim:
            text = text.rstrip(_SPACE)
        if text:
            yield text
        start = left + len(_LEFT) + (2 if trim else 0)
        if source.startswith("/*", start):
            pos, trim_next = _skip_comment(source, start)
            continue
        tokens, pos, trim_next = _lex_action(source, start, left)
        yield left, tokens


def _close(source: str, pos: int) -> tuple[int, bool] | None:
    """If the action ends at `pos` ("}}" or " -}}"): the position after it and the trim flag."""
    if source.startswith(_RIGHT, pos):
        return pos + len(_RIGHT), False
    if _is_space(source[pos : pos + 1]) and source.startswith(_TRIM + _RIGHT, pos + 1):
        return pos + 1 + len(_TRIM + _RIGHT), True
    return None


def _skip_comment(source: str, start: int) -> tuple[int, bool]:
    end = source.find("*/", start + 2)
    if end < 0:
        raise _error(source, start, "unclosed comment")
    closed = _close(source, end + 2)
    if closed is None:
        raise _error(source, end, "comment ends before closing delimiter")
    return closed


def _lex_action(source: str, pos: int, left: int) -> tuple[list[Token], int, bool]:
    tokens: list[Token] = []
    spaced = True
    while True:
        if pos >= len(source):
            raise _error(source, left, "unclosed action")
        closed = _close(source, pos)
        if closed is not None:
            return tokens, closed[0], closed[1]
        if _is_space(source[pos]):
            pos += 1
            spaced = True
            continue
        token = _lex_token(source, pos, spaced)
        tokens.append(token)
        pos += len(token.text)
        spaced = False


def _lex_token(source: str, pos: int, spaced: bool) -> Token:
    ch = source[pos]
    if ch in _SINGLE:
        return Token(_SINGLE[ch], ch, pos, spaced)
    if ch == '"':
        end = _scan_quoted(source, pos)
        try:
            value = unquote(source[pos + 1 : end - 1])
        except ValueError as exc:
            raise _error(source, pos, f"bad string literal: {exc}") from None
        return Token("string", source[pos:end], pos, spaced, value)
    if ch == "`":
        end = source.find("`", pos + 1)
        if end < 0:
            raise _error(source, pos, "unterminated raw quoted string")
        # Go's strconv.Unquote drops carriage returns from raw strings.
        raw = source[pos + 1 : end].replace("\r", "")
        return Token("string", source[pos : end + 1], pos, spaced, raw)
    number = _NUMBER.match(source, pos)
    if number:
        return Token("number", number.group(), pos, spaced, _parse_int(source, pos, number.group()))
    if ch == ".":
        found = _FIELD.match(source, pos)
        text = found.group() if found else "."
        return Token("field" if found else "dot", text, pos, spaced)
    word = _IDENT.match(source, pos)
    if word:
        return _identifier(source, pos, word.group(), spaced)
    return _unsupported(source, pos, ch)


def _identifier(source: str, pos: int, name: str, spaced: bool) -> Token:
    if name in _KEYWORDS:
        message = f"{{{{{name}}}}} is not supported: username templates allow only pipelines"
        raise _error(source, pos, message)
    if name in _CONSTANTS:
        raise _error(source, pos, f"{name} is not supported in username templates")
    return Token("ident", name, pos, spaced)


def _unsupported(source: str, pos: int, ch: str) -> Token:
    if ch == "'":
        raise _error(source, pos, "character constants are not supported")
    if ch == "$":
        raise _error(source, pos, "variables are not supported in username templates")
    if ch in ":=":
        raise _error(source, pos, "variable declarations are not supported")
    raise _error(source, pos, "unrecognized character in action: " + quote(ch, "'"))


def _scan_quoted(source: str, pos: int) -> int:
    """The position after the closing quote of the string literal starting at `pos`."""
    i = pos + 1
    while i < len(source) and source[i] != "\n":
        if source[i] == '"':
            return i + 1
        if source[i] == "\\" and source[i + 1 : i + 2] not in ("", "\n"):
            i += 1
        i += 1
    raise _error(source, pos, "unterminated quoted string")


def _parse_int(source: str, pos: int, text: str) -> int:
    body = text[1:] if text[0] in "+-" else text
    if not _GO_INT.fullmatch(body):
        float_like = "." in body or body.endswith("i") or re.search(r"[pP]|^[^xX]*[eE]", body)
        if float_like:
            raise _error(source, pos, f"floating-point numbers are not supported: {text}")
        raise _error(source, pos, f"bad number syntax: {quote(text)}")
    try:
        value = int(body, 8) if re.fullmatch(r"0[0-7_]+", body) else int(body, 0)
    except ValueError:
        raise _error(source, pos, f"bad number syntax: {quote(text)}") from None
    value = -value if text[0] == "-" else value
    if not -_INT64 <= value < _INT64:
        raise _error(source, pos, f"integer out of range: {text}")
    return value


__all__ = ["TemplateError", "Token", "lex", "locate"]
