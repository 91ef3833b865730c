from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from dishka import AsyncContainer, Provider
from litestar.testing import AsyncTestClient

from devforge.adapters.memory.clock import ManualClock
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.settings import Settings
from tests.conftest import settings_for_tests
from tests.integration.http.apps import app_for

TestClient = AsyncTestClient  # re-exported for type hints in tests


def build_client(*overrides: Provider, **settings: object) -> tuple[AsyncTestClient, AsyncContainer, Settings]:
    config = settings_for_tests(**settings)
    container = make_container(config, *overrides, base=memory_providers())
    return AsyncTestClient(app=app_for(container, config)), container, config


@pytest.fixture
async def client() -> AsyncIterator[AsyncTestClient]:
    test_client, _, _ = build_client()
    async with test_client as running:
        yield running


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()
