"""Every error is RFC 9457 problem+json; no answer ever carries a stack trace."""

from __future__ import annotations

from dishka import Provider, Scope
from litestar.testing import AsyncTestClient

from devforge.application.identity.ports import UserRepository
from tests.integration.http.conftest import build_client

PROBLEM = "application/problem+json"


def assert_problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith(PROBLEM)  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status and body["title"] and body["type"]
    assert "Traceback" not in response.text and 'File "' not in response.text  # type: ignore[attr-defined]
    return body


async def test_malformed_json_is_400(client: AsyncTestClient) -> None:
    response = await client.post(
        "/api/auth/register", content=b'{"email": "a@b.co", ', headers={"content-type": "application/json"}
    )
    assert_problem(response, 400)


async def test_a_wrong_field_type_is_400_with_the_field_path(client: AsyncTestClient) -> None:
    response = await client.post("/api/auth/register", json={"email": 42, "password": "correct horse battery"})
    body = assert_problem(response, 400)
    assert body["errors"] == [{"field": "email", "message": "Expected `str`, got `int`"}]


async def test_missing_and_unknown_fields_are_400_naming_them(client: AsyncTestClient) -> None:
    missing = assert_problem(await client.post("/api/auth/login", json={"email": "a@b.co"}), 400)
    assert "password" in str(missing["errors"])
    unknown = assert_problem(
        await client.post("/api/auth/login", json={"email": "a@b.co", "password": "x", "admin": True}), 400
    )
    assert "admin" in str(unknown["errors"])


async def test_an_unknown_route_is_404_and_a_wrong_method_405(client: AsyncTestClient) -> None:
    assert_problem(await client.get("/api/nothing-here"), 404)
    assert_problem(await client.delete("/api/auth/me"), 405)


async def test_a_body_over_the_limit_is_413() -> None:
    test_client, _, _ = build_client(max_body_bytes=1024)
    async with test_client as client:
        response = await client.post("/api/auth/register", json={"email": "a@b.co", "password": "x" * 5000})
        assert_problem(response, 413)


class BrokenUsers:
    async def get(self, *_: object, **__: object) -> None:
        raise RuntimeError("connection reset by peer at 10.0.0.7 (secret detail)")

    get_by_email = add = update = get


async def test_an_unexpected_failure_is_a_bare_500_with_the_request_id() -> None:
    broken = Provider(scope=Scope.REQUEST)
    broken.provide(BrokenUsers, provides=UserRepository)
    test_client, _, _ = build_client(broken)
    async with test_client as client:
        response = await client.post("/api/auth/login", json={"email": "a@b.co", "password": "whatever you like"})
        body = assert_problem(response, 500)
        assert "secret detail" not in response.text and "RuntimeError" not in response.text
        assert body["requestId"] == response.headers["x-request-id"]


async def test_a_safe_caller_request_id_is_echoed(client: AsyncTestClient) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "req-12345678"})
    assert response.headers["x-request-id"] == "req-12345678"
    forged = await client.get("/health/live", headers={"X-Request-ID": "bad id\r\nx"})
    assert forged.headers["x-request-id"] != "bad id\r\nx" and len(forged.headers["x-request-id"]) == 32
