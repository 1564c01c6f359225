"""Go's string literals and `fmt` verbs, as username templates see them (strconv, fmt). Pure.

Owns: unquoting Go interpreted string literals, `strconv.Quote`-style quoting, and the subset of
`fmt.Sprintf` the templates use. Values are `str`, `int` or a `map[string]string` (the template's
fields). It must not know about templates themselves; `framework/template.py` owns those.

Supported verbs are `%s %v %d %q %%` with flags `- + # 0 space`, width and precision. Verbs Go
has but this module does not (`%x %t %f ...`), `*` widths and `[n]` argument indexes raise
`ValueError` instead of printing something different from Go.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

Value = str | int | Mapping[str, str]

_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, '"': 34}
_QUOTE_ESCAPES = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}
_SPEC = re.compile(r"%([-+# 0]*)([0-9]*)(?:\.([0-9]*))?")
_SUPPORTED = frozenset("svdq")
_MAX_RUNE = 0x10FFFF


def go_type(value: Value) -> str:
    """The Go type name fmt prints for `value` (`string`, `int`, `map[string]string`)."""
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        return "int"
    return "map[string]string"


def unquote(body: str) -> str:
    """The value of a Go interpreted string literal, given without its double quotes.

    `\\x` and octal escapes are bytes, as in Go, so the result must decode as UTF-8.
    """
    out = bytearray()
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out += ch.encode()
            i += 1
            continue
        if i + 1 >= len(body):
            raise ValueError("unterminated escape sequence")
        kind = body[i + 1]
        if kind in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[kind])
            i += 2
        elif kind in _HEX_DIGITS:
            i = _unquote_hex(body, i, kind, out)
        elif "0" <= kind <= "7":
            digits = body[i + 1 : i + 4]
            if not re.fullmatch(r"[0-7]{3}", digits) or int(digits, 8) > 255:
                raise ValueError(f"invalid octal escape \\{digits}")
            out.append(int(digits, 8))
            i += 4
        else:
            raise ValueError(f"unknown escape sequence \\{kind}")
    try:
        return out.decode()
    except UnicodeDecodeError:
        raise ValueError("string literal is not valid UTF-8") from None


def _unquote_hex(body: str, i: int, kind: str, out: bytearray) -> int:
    count = _HEX_DIGITS[kind]
    digits = body[i + 2 : i + 2 + count]
    if not re.fullmatch(f"[0-9a-fA-F]{{{count}}}", digits):
        raise ValueError(f"invalid escape \\{kind}{digits}")
    code = int(digits, 16)
    if kind == "x":
        out.append(code)
    elif code > _MAX_RUNE or 0xD800 <= code <= 0xDFFF:
        raise ValueError(f"escape \\{kind}{digits} is not a valid code point")
    else:
        out += chr(code).encode()
    return i + 2 + count


def quote(text: str, mark: str = '"', ascii_only: bool = False) -> str:
    """`text` as a Go quoted literal (strconv.Quote, QuoteToASCII, QuoteRune)."""
    parts = [mark]
    for ch in text:
        code = ord(ch)
        if ch in (mark, "\\"):
            parts.append("\\" + ch)
        elif ch.isprintable() and (code < 0x80 or not ascii_only):
            parts.append(ch)
        elif code in _QUOTE_ESCAPES:
            parts.append(_QUOTE_ESCAPES[code])
        elif code < 0x20 or code == 0x7F:
            parts.append(f"\\x{code:02x}")
        elif code < 0x10000:
            parts.append(f"\\u{code:04x}")
        else:
            parts.append(f"\\U{code:08x}")
    parts.append(mark)
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class _Spec:
    verb: str
    flags: str = ""
    width: int | None = None
    precision: int | None = None

    def pad(self, text: str) -> str:
        # Go pads with spaces; the 0 flag only matters for numbers (handled in _integer).
        if self.width is None:
            return text
        return text.ljust(self.width) if "-" in self.flags else text.rjust(self.width)


def sprint(value: Value) -> str:
    """`fmt.Sprint` of one value: how an action prints its result."""
    return _format(value, _Spec("v"))


def sprintf(template: str, args: Sequence[Value]) -> str:
    """`fmt.Sprintf(template, args...)` for the supported verbs, with Go's error notation."""
    out: list[str] = []
    used = 0
    i = 0
    while i < len(template):
        start = template.find("%", i)
        if start < 0:
            out.append(template[i:])
            break
        out.append(template[i:start])
        match = _SPEC.match(template, start)
        if match is None:  # unreachable: every part of _SPEC is optional
            raise ValueError("printf: bad format")
        end = match.end()
        if end >= len(template):
            out.append("%!(NOVERB)")
            break
        verb = template[end]
        if verb in "*[":
            raise ValueError("'*' widths and [n] argument indexes are not supported")
        spec = _spec(verb, match.group(1), match.group(2), match.group(3))
        i = end + 1
        if verb == "%":
            out.append("%")
        elif used >= len(args):
            out.append(f"%!{verb}(MISSING)")
        else:
            out.append(_format_arg(args[used], spec))
            used += 1
    if used < len(args):
        extra = ", ".join(f"{go_type(arg)}={sprint(arg)}" for arg in args[used:])
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


def _spec(verb: str, flags: str, width: str, precision: str | None) -> _Spec:
    if verb != "%" and verb not in _SUPPORTED:
        raise ValueError(f"verb %{verb} is not supported")
    return _Spec(
        verb=verb,
        flags=flags,
        width=int(width) if width else None,
        precision=(int(precision) if precision else 0) if precision is not None else None,
    )


def _format_arg(value: Value, spec: _Spec) -> str:
    # vault-compat: fmt's %+v and %#v are their own formats; plus and sharp are not flags there.
    if spec.verb == "v" and "#" in spec.flags:
        flags = spec.flags.replace("#", "").replace("+", "")
        if isinstance(value, Mapping):
            items = (f"{quote(k)}:{quote(v)}" for k, v in sorted(value.items()))
            return spec.pad("map[string]string{" + ", ".join(items) + "}")
        spec = replace(spec, verb="q" if isinstance(value, str) else "d", flags=flags)
    elif spec.verb == "v":
        spec = replace(spec, flags=spec.flags.replace("+", ""))
    return _format(value, spec)


def _format(value: Value, spec: _Spec) -> str:
    if isinstance(value, str):
        return _string(value, spec)
    if isinstance(value, int):
        return _integer(value, spec)
    items = (f"{_format(k, spec)}:{_format(v, spec)}" for k, v in sorted(value.items()))
    return "map[" + " ".join(items) + "]"


def _bad_verb(value: Value, spec: _Spec) -> str:
    return f"%!{spec.verb}({go_type(value)}={_format(value, replace(spec, verb='v'))})"


def _string(text: str, spec: _Spec) -> str:
    if spec.verb not in "svq":
        return _bad_verb(text, spec)
    if spec.precision is not None:
        text = text[: spec.precision]
    if spec.verb == "q":
        if "#" in spec.flags and _can_backquote(text):
            text = f"`{text}`"
        else:
            text = quote(text, ascii_only="+" in spec.flags)
    return spec.pad(text)


def _can_backquote(text: str) -> bool:
    # strconv.CanBackquote: no backquote and no control character other than tab.
    return all(c == "\t" or (c >= " " and c not in "`\x7f\ufeff") for c in text)


def _integer(number: int, spec: _Spec) -> str:
    if spec.verb == "q":
        valid = 0 <= number <= _MAX_RUNE and not 0xD800 <= number <= 0xDFFF
        return spec.pad(quote(chr(number) if valid else "\ufffd", "'", "+" in spec.flags))
    if spec.verb not in "dv":
        return _bad_verb(number, spec)
    sign = "-" if number < 0 else "+" if "+" in spec.flags else " " if " " in spec.flags else ""
    digits = str(abs(number))
    if spec.precision is not None:
        digits = "" if number == 0 and spec.precision == 0 else digits.zfill(spec.precision)
    elif "0" in spec.flags and "-" not in spec.flags and spec.width is not None:
        digits = digits.zfill(spec.width - len(sign))
    return spec.pad(sign + digits)


__all__ = ["Value", "go_type", "quote", "sprint", "sprintf", "unquote"]
