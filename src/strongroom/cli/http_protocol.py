"""uvicorn's httptools protocol, taught Vault's `LIST` method.

llhttp (under httptools) rejects methods it does not know, and `LIST` is one of them, while
hvac and other Vault clients send it. Vault treats `LIST /v1/p` exactly like `GET /v1/p?list=true`,
so at a request boundary we rewrite the request line to that form before the parser sees it.

Limit: a `LIST` that arrives pipelined behind another request in the same read is not
rewritten (and gets the parser's 400); HTTP clients do not pipeline in practice.
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_LIST = b"LIST "


def rewrite_list(data: bytes) -> bytes | None:
    """`LIST /p?q HTTP/1.1...` -> `GET /p?q&list=true HTTP/1.1...`; None when the request
    line is not complete yet."""
    end = data.find(b"\r\n")
    if end < 0:
        return None
    line = data[:end]
    parts = line.split(b" ")
    if len(parts) != 3:
        return data  # malformed: let the parser reject it
    target = parts[1]
    target += b"&list=true" if b"?" in target else b"?list=true"
    return b"GET " + target + b" " + parts[2] + data[end:]


class VaultHttpToolsProtocol(HttpToolsProtocol):
    """HttpToolsProtocol that accepts `LIST` at request boundaries."""

    _at_boundary = True
    _held = b""

    def on_message_begin(self) -> None:
        self._at_boundary = False
        super().on_message_begin()

    def on_message_complete(self) -> None:
        self._at_boundary = True
        super().on_message_complete()

    def data_received(self, data: bytes) -> None:
        if self._at_boundary and (self._held or data[:1] == b"L"):
            data = self._held + data
            self._held = b""
            if data.startswith(_LIST):
                rewritten = rewrite_list(data)
                if rewritten is None:
                    if len(data) > 16384:
                        rewritten = data  # an absurd request line: let the parser reject it
                    else:
                        self._held = data
                        return
                data = rewritten
            elif len(data) < len(_LIST) and _LIST.startswith(data):
                self._held = data
                return
        super().data_received(data)


__all__ = ["VaultHttpToolsProtocol", "rewrite_list"]
