"""Reaching the real servers the integration tests need (PostgreSQL, Redis).

When a server is unreachable its tests skip with the reason, unless
``DEVFORGE_REQUIRE_SERVICES=1`` (CI), where they fail instead.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest

POSTGRES_URL = os.environ.get("DEVFORGE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("DEVFORGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def services_required() -> bool:
    return os.environ.get("DEVFORGE_REQUIRE_SERVICES") == "1"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require(name: str, host: str, port: int) -> None:
    """Skip (or fail, when services are required) if ``host:port`` does not answer."""
    if _reachable(host, port):
        return
    reason = f"{name} is not reachable at {host}:{port}"
    if services_required():
        pytest.fail(f"{reason}, and DEVFORGE_REQUIRE_SERVICES=1 requires it")
    pytest.skip(f"{reason} (start it, or set DEVFORGE_TEST_* URLs, to run these tests)")


def _host_port(url: str, default_port: int) -> tuple[str, int]:
    parsed = urlsplit(url.replace("+asyncpg", ""))
    return parsed.hostname or "127.0.0.1", parsed.port or default_port


def require_postgres() -> None:
    require("PostgreSQL", *_host_port(POSTGRES_URL, 5432))


def require_redis() -> None:
    require("Redis", *_host_port(REDIS_URL, 6379))
