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
    # Ratings right after a download: the minimum download age has its own tests (test_rating_rules.py).
    container = marketplace_container(clock, outside, marketplace_rating_min_download_hours=0)
    yield Market(container, outside)
    await container.close()
