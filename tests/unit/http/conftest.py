from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from devforge.bootstrap.container import make_container, memory_providers
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests


@pytest.fixture(scope="session")
def document() -> Iterator[dict[str, Any]]:
    """The OpenAPI document the service publishes (memory adapters, test settings)."""
    config = settings_for_tests()
    with TestClient(app=create_app(make_container(config, base=memory_providers()), config)) as client:
        yield client.get("/schema/openapi.json").json()
