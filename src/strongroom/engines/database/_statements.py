"""SQL statement templates as OpenBao's database plugins take them.

A role holds lists of statements; each entry may hold several queries separated by `;`.
`{{name}}` (alias `{{username}}`), `{{password}}` and `{{expiration}}` are replaced verbatim, as
OpenBao's plugins do: the templates are the operator's SQL, trusted like the operator. An entry
that contains a dollar-quoted block (`$$`) is one query, so PL/pgSQL bodies are not split.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

# vault-compat: the `{{expiration}}` layout of the PostgreSQL plugin (Go "2006-01-02 15:04:05-0700")
_EXPIRATION_FORMAT = "%Y-%m-%d %H:%M:%S%z"


def expiration_text(when: datetime) -> str:
    """`{{expiration}}` for a moment: UTC, to the second, with the zone offset."""
    return when.astimezone(UTC).strftime(_EXPIRATION_FORMAT)


def render(template: str, values: Mapping[str, str]) -> str:
    """`template` with each `{{key}}` replaced by its value."""
    text = template
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def split_queries(statements: Iterable[str]) -> list[str]:
    """The single queries in `statements`, in order, empty ones dropped."""
    queries: list[str] = []
    for statement in statements:
        if "$$" in statement:
            if statement.strip():
                queries.append(statement.strip())
            continue
        queries.extend(part.strip() for part in statement.split(";") if part.strip())
    return queries


def rendered_queries(statements: Iterable[str], values: Mapping[str, str]) -> list[str]:
    """Split, then fill in each query."""
    return [render(query, values) for query in split_queries(statements)]


def user_values(
    username: str, *, password: str = "", expiration: datetime | None = None
) -> dict[str, str]:
    """The template values for one database user."""
    values = {"name": username, "username": username}
    if password:
        values["password"] = password
    if expiration is not None:
        values["expiration"] = expiration_text(expiration)
    return values


__all__ = ["expiration_text", "render", "rendered_queries", "split_queries", "user_values"]
