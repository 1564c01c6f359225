"""Vault's field coercion rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, coerce


@pytest.mark.parametrize(
    ("field_type", "value", "expected"),
    [
        (FieldType.DURATION, "1h", 3600),
        (FieldType.DURATION, 3600, 3600),
        (FieldType.DURATION, "90", 90),
        (FieldType.DURATION, "1h30m", 5400),
        (FieldType.DURATION, "2d", 172800),
        (FieldType.INT, "42", 42),
        (FieldType.INT, 42.0, 42),
        (FieldType.BOOL, "true", True),
        (FieldType.BOOL, 1, True),
        (FieldType.BOOL, "f", False),
        (FieldType.STRING, 5, "5"),
        (FieldType.COMMA_STRING_SLICE, "a, b,,c", ["a", "b", "c"]),
        (FieldType.COMMA_STRING_SLICE, ["a", " b"], ["a", "b"]),
        (FieldType.STRING_SLICE, "a,b", ["a,b"]),
        (FieldType.STRING_SLICE, '["x","y"]', ["x", "y"]),
        (FieldType.KV_PAIRS, ["a=1", "b=x=y"], {"a": "1", "b": "x=y"}),
        (FieldType.KV_PAIRS, {"a": 1}, {"a": "1"}),
        (FieldType.LOWER_CASE_STRING, "MiXed", "mixed"),
        (FieldType.COMMA_INT_SLICE, "1,2, 3", [1, 2, 3]),
        (FieldType.MAP, {"k": [1]}, {"k": [1]}),
    ],
)
def test_coerce(field_type: FieldType, value: object, expected: object) -> None:
    assert coerce(field_type, value) == expected


@pytest.mark.parametrize(
    ("field_type", "value"),
    [
        (FieldType.DURATION, "soon"),
        (FieldType.DURATION, True),
        (FieldType.INT, "4x"),
        (FieldType.INT, 1.5),
        (FieldType.BOOL, "maybe"),
        (FieldType.STRING, {"a": 1}),
        (FieldType.MAP, [1]),
        (FieldType.KV_PAIRS, ["novalue"]),
        (FieldType.NAME_STRING, "bad name!"),
    ],
)
def test_coerce_rejects(field_type: FieldType, value: object) -> None:
    with pytest.raises(ValueError):
        coerce(field_type, value)


def test_field_data_defaults_errors_and_unknowns() -> None:
    schema = {
        "ttl": Field(FieldType.DURATION, default="1m"),
        "count": Field(FieldType.INT),
        "mode": Field(FieldType.STRING, allowed_values=("a", "b")),
    }
    data = FieldData({"count": "3", "extra": 1}, schema)
    assert data.duration("ttl") == 60
    assert data.integer("count") == 3
    assert data.get_ok("mode") == (None, False)
    assert data.unknown_fields() == ["extra"]
    with pytest.raises(InvalidRequest, match='field "count"'):
        FieldData({"count": "three"}, schema).validate()
    with pytest.raises(InvalidRequest, match='"mode" must be one of'):
        FieldData({"mode": "c"}, schema).validate()
    with pytest.raises(KeyError):
        data.get("undeclared")


@given(st.integers(min_value=0, max_value=10**9))
def test_duration_seconds_round_trip(seconds: int) -> None:
    assert coerce(FieldType.DURATION, seconds) == seconds
    assert coerce(FieldType.DURATION, str(seconds)) == seconds
    assert coerce(FieldType.DURATION, f"{seconds}s") == seconds


@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=59),
    st.integers(min_value=0, max_value=59),
)
def test_duration_go_strings(hours: int, minutes: int, seconds: int) -> None:
    text = f"{hours}h{minutes}m{seconds}s"
    assert coerce(FieldType.DURATION, text) == hours * 3600 + minutes * 60 + seconds


@given(st.lists(st.text(alphabet="abcxyz019-_", min_size=1, max_size=8), max_size=6))
def test_comma_string_slice_round_trip(items: list[str]) -> None:
    assert coerce(FieldType.COMMA_STRING_SLICE, ",".join(items)) == items
