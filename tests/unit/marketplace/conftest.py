from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from devforge.adapters.memory.clock import ManualClock

from .world import Market, Outside, marketplace_container


@pytest.fixture
def outside() -> Outside:
    return Outside()


@pytest.fixture
async def market(clock: ManualClock, outside: Outside) -> AsyncIterator[Market]:
    container = marketplace_container(clock, outside)
    yield Market(container, outside)
    await container.close()
