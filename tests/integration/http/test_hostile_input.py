"""Hostile input is refused at the door with a 400 problem+json naming what is at fault, on
SQLite and PostgreSQL alike: no byte of it reaches a use case or a database, so nothing answers
500 and nothing is half-written."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from devforge.bootstrap.container import make_container
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.integration.backends import postgres_database, sqlite_database
from tests.integration.http.authentication_steps import PASSWORD, bearer
from tests.integration.http.test_problems import assert_problem

JSON = {"content-type": "application/json"}
NUL = "a\u0000b"


@pytest.fixture(params=["sqlite", "postgres"])
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncTestClient]:
    database = postgres_database() if request.param == "postgres" else sqlite_database(tmp_path)
    async with database as url:
        config = settings_for_tests(database_url=url, data_dir=str(tmp_path), rate_limit_auth_per_minute=1000)
        async with AsyncTestClient(app=create_app(make_container(config), config)) as client:
            yield client


async def developer(client: AsyncTestClient) -> dict[str, str]:
    account = {"email": "dev@example.com", "password": PASSWORD}
    assert (await client.post("/api/auth/register", json=account | {"role": "developer"})).status_code == 201
    return bearer((await client.post("/api/auth/login", json=account)).json()["accessToken"])


def refused(response: Any, field: str) -> None:
    body = assert_problem(response, 400)
    assert body["requestId"] == response.headers["x-request-id"]
    assert field in [error["field"] for error in body["errors"]], body  # type: ignore[union-attr]


async def test_a_nul_in_any_text_field_is_refused_naming_it(api: AsyncTestClient) -> None:
    dev = await developer(api)
    product = await api.post("/api/licensing/products", json={"code": "pro", "name": "Pro"}, headers=dev)
    assert product.status_code == 201, product.text
    product_id = product.json()["id"]
    cases: list[tuple[str, str, dict[str, Any], str]] = [
        ("POST", "/api/licensing/products", {"code": "p2", "name": NUL}, "name"),
        ("PATCH", f"/api/licensing/products/{product_id}", {"name": NUL}, "name"),
        ("POST", "/api/licensing/policies", {"productId": product_id, "name": NUL}, "name"),
        ("POST", f"/api/licensing/products/{product_id}/entitlements", {"code": "ai", "name": NUL}, "name"),
        ("POST", "/api/auth/api-keys", {"name": NUL, "scopes": [], "expiresInDays": 30}, "name"),
        ("POST", "/api/publishers", {"namespace": "acme", "displayName": NUL}, "displayName"),
        ("POST", "/api/extensions", {"publisherId": product_id, "name": "x", "displayName": NUL}, "displayName"),
        ("POST", "/api/auth/login", {"email": "dev@example.com", "password": NUL}, "password"),
        ("POST", "/api/auth/register", {"email": f"{NUL}@example.com", "password": PASSWORD}, "email"),
    ]
    for method, path, body, field in cases:
        refused(await api.request(method, path, json=body, headers=dev), field)
    machine = {"fingerprint": "f-1", "name": NUL}
    refused(await api.post("/api/licenses/activate", json=machine, headers={"Authorization": "License DF-1"}), "name")
    refused(await api.get("/api/extensions", params={"q": NUL}), "q")
    refused(await api.get("/api/licenses/DF-%00", headers=dev), "path")
    products = await api.get("/api/licensing/products", headers=dev)
    assert [item["name"] for item in products.json()["items"]] == ["Pro"]  # nothing half-written


async def test_bytes_that_are_not_utf8_json_too_deep_or_huge_numbers_are_400(api: AsyncTestClient) -> None:
    dev = await developer(api)
    for path in ("/api/auth/register", "/api/licenses/validate"):
        refused(await api.post(path, content=b'{"email": "\xff@example.com"}', headers=JSON), "body")
        refused(await api.post(path, content=b'{"email": "\xc0\x80@example.com"}', headers=JSON), "body")
        for depth in (5_000, 100_000):
            refused(await api.post(path, content=b"[" * depth + b"]" * depth, headers=JSON), "body")
    refused(await api.get("/api/payments/orders", params={"offset": str(2**70)}, headers=dev), "offset")
    refused(await api.get("/api/extensions?q=%ff%fe"), "q")
    refused(await api.get("/api/licenses/DF-%ff", headers=dev), "path")
    refused(await api.get("/health/live", headers={"X-Note": "a\x01b"}), "x-note")
    assert (await api.get("/api/payments/orders", params={"offset": "0"}, headers=dev)).status_code == 200
