"""Statement templates: splitting, filling in, and the `{{expiration}}` layout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from strongroom.engines.database._statements import (
    expiration_text,
    rendered_queries,
    split_queries,
    user_values,
)


def test_each_entry_splits_on_semicolons_and_drops_empty_queries() -> None:
    statements = ['CREATE ROLE "{{name}}";  GRANT x TO "{{name}}";', " ; ", "SELECT 1"]
    assert split_queries(statements) == [
        'CREATE ROLE "{{name}}"',
        'GRANT x TO "{{name}}"',
        "SELECT 1",
    ]


def test_a_dollar_quoted_block_is_one_query() -> None:
    block = "DO $$ BEGIN CREATE ROLE a; GRANT b TO a; END $$;"
    assert split_queries([block, "SELECT 1; SELECT 2"]) == [block, "SELECT 1", "SELECT 2"]


def test_values_fill_every_placeholder_and_name_equals_username() -> None:
    when = datetime(2026, 11, 27, 6, 38, 5, tzinfo=UTC)
    values = user_values("v-app-x", password="p-1", expiration=when)
    queries = rendered_queries(
        [
            "CREATE ROLE \"{{name}}\" PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';"
            "COMMENT ON ROLE \"{{username}}\" IS 'x'"
        ],
        values,
    )
    assert queries == [
        "CREATE ROLE \"v-app-x\" PASSWORD 'p-1' VALID UNTIL '2026-11-27 06:38:05+0000'",
        "COMMENT ON ROLE \"v-app-x\" IS 'x'",
    ]


def test_unknown_placeholders_stay_as_written() -> None:
    assert rendered_queries(["SELECT '{{other}}'"], user_values("u")) == ["SELECT '{{other}}'"]


def test_expiration_is_rendered_in_utc_whatever_the_zone() -> None:
    local = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    assert expiration_text(local) == "2026-01-02 01:04:05+0000"
