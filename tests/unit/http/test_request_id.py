"""Request ids are random version-4 UUIDs in canonical form, as `str(uuid.uuid4())`."""

from __future__ import annotations

import uuid

from strongroom.http.app import new_request_id


def test_request_ids_are_canonical_uuid4() -> None:
    ids = {new_request_id() for _ in range(2000)}
    assert len(ids) == 2000
    variants = set()
    for text in ids:
        parsed = uuid.UUID(text)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
        assert str(parsed) == text
        variants.add(text[19])
    assert variants == set("89ab")
