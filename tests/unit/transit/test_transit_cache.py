"""cache-config: OpenBao's default, validation and shapes."""

from __future__ import annotations

import pytest
from transit_harness import Transit

from strongroom.errors import InvalidRequest, UnsupportedOperation
from strongroom.logical import Operation
from strongroom.storage import Entry


async def _size(transit: Transit) -> object:
    response = await transit.read("cache-config")
    assert response is not None and response.data is not None
    return response.data["size"]


async def test_default_and_update(transit: Transit) -> None:
    assert await _size(transit) == 0
    assert await transit.write("cache-config", size=10) == {"size": 10}
    assert await _size(transit) == 10
    assert await transit.write("cache-config") == {"size": 0}
    assert await _size(transit) == 0


@pytest.mark.parametrize("size", [1, 9, -1])
async def test_invalid_sizes(transit: Transit, size: int) -> None:
    with pytest.raises(InvalidRequest) as err:
        await transit.write("cache-config", size=size)
    assert str(err.value) == "size must be 0 or a value greater or equal to 10"


async def test_non_integer_and_delete(transit: Transit) -> None:
    with pytest.raises(InvalidRequest, match='field "size"'):
        await transit.write("cache-config", size="abc")
    with pytest.raises(UnsupportedOperation):
        await transit.call(Operation.DELETE, "cache-config")


async def test_corrupt_stored_value_reads_zero(transit: Transit) -> None:
    await transit.storage.put(Entry("cache-config", b'["x"]'))
    assert await _size(transit) == 0
