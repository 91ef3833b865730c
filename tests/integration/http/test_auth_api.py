"""/api/auth over HTTP: the published contract and its error answers."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

PASSWORD = "correct horse battery staple"


async def register(client: AsyncTestClient, email: str = "Ada@Example.com", **extra: Any) -> Any:
    return await client.post("/api/auth/register", json={"email": email, "password": PASSWORD, **extra})


async def log_in(client: AsyncTestClient, email: str = "ada@example.com", password: str = PASSWORD) -> Any:
    return await client.post("/api/auth/login", json={"email": email, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_register_log_in_and_ask_who_i_am(client: AsyncTestClient) -> None:
    created = await register(client, role="developer")
    assert created.status_code == 201
    assert created.json()["email"] == "ada@example.com" and created.json()["role"] == "developer"
    assert "password" not in created.text.lower()

    tokens = (await log_in(client)).json()
    assert tokens["tokenType"] == "Bearer" and tokens["refreshToken"] and tokens["sessionId"]
    me = await client.get("/api/auth/me", headers=bearer(tokens["accessToken"]))
    assert me.status_code == 200
    assert me.json() == created.json()


async def test_a_refresh_token_used_twice_fails_and_so_does_the_newest(client: AsyncTestClient) -> None:
    await register(client)
    first = (await log_in(client)).json()
    second = await client.post("/api/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert second.status_code == 200

    replay = await client.post("/api/auth/refresh", json={"refreshToken": first["refreshToken"]})
    newest = await client.post("/api/auth/refresh", json={"refreshToken": second.json()["refreshToken"]})
    assert (replay.status_code, replay.json()["code"]) == (401, "refresh_token_reused")
    assert newest.status_code == 401
    me = await client.get("/api/auth/me", headers=bearer(second.json()["accessToken"]))
    assert me.status_code == 401


async def test_logout_revokes_the_session(client: AsyncTestClient) -> None:
    await register(client)
    tokens = (await log_in(client)).json()
    assert (await client.post("/api/auth/logout", headers=bearer(tokens["accessToken"]))).status_code == 204
    assert (await client.get("/api/auth/me", headers=bearer(tokens["accessToken"]))).status_code == 401
    refreshed = await client.post("/api/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
    assert refreshed.status_code == 401


async def test_wrong_password_and_unknown_email_answer_alike(client: AsyncTestClient) -> None:
    await register(client)
    wrong = await log_in(client, password="not the right password")
    unknown = await log_in(client, email="nobody@example.com")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]
    assert wrong.json()["code"] == unknown.json()["code"] == "credentials_invalid"


async def test_business_rule_errors_name_the_field(client: AsyncTestClient) -> None:
    weak = await register(client, password="password")
    assert weak.status_code == 422
    assert weak.headers["content-type"].startswith("application/problem+json")
    assert weak.json()["errors"][0]["field"] == "password"
    await register(client)
    duplicate = await register(client, "ADA@example.com")
    assert (duplicate.status_code, duplicate.json()["errors"][0]["field"]) == (409, "email")
    admin = await register(client, "eve@example.com", role="admin")
    assert admin.status_code == 400 and admin.json()["errors"][0]["field"] == "role"


async def test_me_without_or_with_a_bad_token_is_401(client: AsyncTestClient) -> None:
    for headers in ({}, {"Authorization": "Basic abc"}, bearer("not-a-token")):
        response = await client.get("/api/auth/me", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.headers["content-type"].startswith("application/problem+json")
