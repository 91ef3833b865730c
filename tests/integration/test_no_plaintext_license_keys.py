"""After a full license flow on a real database, no license key is stored in plaintext: not in
any column of any table, not in the SQLite file's bytes, not in the outbox, and not in any log
line the service wrote meanwhile (at debug level, as JSON, the production format)."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import structlog
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from devforge.adapters.persistence.tables import metadata
from devforge.bootstrap.container import make_container
from devforge.bootstrap.settings import Settings
from devforge.entrypoints.http.app import create_app
from devforge.entrypoints.logging import configure_logging
from tests.conftest import settings_for_tests
from tests.integration.backends import postgres_database, sqlite_database
from tests.integration.http.test_licensing_api import bearer, issued, license_auth, signed_in


@pytest.fixture(params=["sqlite", "postgres"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    opened = postgres_database() if request.param == "postgres" else sqlite_database(tmp_path)
    async with opened as url:
        yield url


def spellings(key: str) -> list[str]:
    body = key.removeprefix("DF-")
    return [key, key.lower(), body, body.replace("-", ""), body.replace("-", "").lower()]


async def full_flow(settings: Settings) -> str:
    """Issue, show, activate, validate (key in the header and in the body), revoke, validate a
    revoked key and a mistyped one: every way a key travels through the service."""
    async with AsyncTestClient(app=create_app(make_container(settings), settings)) as client:
        developer, _ = await signed_in(client, "dev@example.com", "developer")
        customer, customer_id = await signed_in(client, "ada@example.com", "customer")
        key = (await issued(client, developer, customer_id))["key"]
        for path, body in (("activate", {"fingerprint": "m-1"}), ("validate", {"fingerprint": "m-1"})):
            answer = await client.post(f"/api/licenses/{path}", json=body, headers=license_auth(key))
            assert answer.status_code in (200, 201), answer.text
        assert (await client.get(f"/api/licenses/{key}", headers=bearer(customer))).status_code == 200
        assert (await client.delete(f"/api/licenses/{key}?reason=refund", headers=bearer(developer))).status_code in (
            200,
            204,
        )
        assert (await client.post("/api/licenses/validate", json={"key": key})).json()["code"] == "REVOKED"
        assert (await client.post("/api/licenses/validate", json={"key": key[:-1] + "0"})).status_code == 422
    return str(key)


@contextmanager
def every_log_line() -> Iterator[io.StringIO]:
    """The service's logging as ``devforge serve`` sets it up, at debug level, also into a buffer."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    configure_logging("debug", "json")
    buffer = io.StringIO()
    copy = logging.StreamHandler(buffer)
    copy.setFormatter(root.handlers[0].formatter)
    root.addHandler(copy)
    test_client = logging.getLogger("httpx")  # the test's own HTTP client logs its requests: not the service
    client_level = test_client.level
    test_client.setLevel(logging.WARNING)
    try:
        yield buffer
    finally:
        test_client.setLevel(client_level)
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        structlog.reset_defaults()


async def test_no_license_key_is_stored_or_logged_in_plaintext(database: str, tmp_path: Path) -> None:
    settings = settings_for_tests(database_url=database, data_dir=str(tmp_path / "var"))
    with every_log_line() as logs:
        key = await full_flow(settings)
    logged = logs.getvalue()
    assert '"path": "/api/licenses/***"' in logged  # the scan does see the access log
    for spelling in spellings(key):
        assert spelling not in logged, f"{spelling!r} found in the logs"

    engine = create_async_engine(database)
    dumped: list[str] = []
    async with engine.connect() as connection:
        for table in metadata.sorted_tables:
            rows = (await connection.execute(select(table))).all()
            dumped.extend(repr(tuple(row)) for row in rows)
    await engine.dispose()
    everything = "\n".join(dumped)
    assert key[:6] in everything  # the scan does see the license row: its visible prefix is stored
    for spelling in spellings(key):
        assert spelling not in everything, f"{spelling!r} found in the database"
    if database.startswith("sqlite"):
        path = Path(database.split("///", 1)[1])
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        for spelling in spellings(key):
            assert spelling.encode() not in raw
