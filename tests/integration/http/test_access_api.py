"""API keys and admin user management over HTTP: the published contract and its refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from devforge.domain.identity.roles import Role
from tests.access_world import session_actor
from tests.integration.http.conftest import build_client

PASSWORD = "correct horse battery staple"


@pytest.fixture
async def app() -> AsyncIterator[tuple[AsyncTestClient, AsyncContainer]]:
    client, container, _ = build_client()
    async with client as running:
        yield running, container


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def signed_in(client: AsyncTestClient, email: str, role: str = "developer") -> str:
    await client.post("/api/auth/register", json={"email": email, "password": PASSWORD, "role": role})
    tokens = (await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})).json()
    return str(tokens["accessToken"])


async def create_key(client: AsyncTestClient, token: str, **body: Any) -> Any:
    payload = {
        "name": "GitHub Actions",
        "scopes": ["users:read_self"],
        "expiresInDays": 90,
        "password": PASSWORD,
    } | body
    return await client.post("/api/auth/api-keys", json=payload, headers=bearer(token))


async def test_a_key_is_shown_once_works_as_a_bearer_and_stops_when_revoked(
    app: tuple[AsyncTestClient, AsyncContainer],
) -> None:
    client, _ = app
    token = await signed_in(client, "ada@example.com")
    created = await create_key(client, token)
    assert created.status_code == 201
    secret, key = created.json()["key"], created.json()["apiKey"]
    assert secret.startswith("dfk_live_") and key["prefix"] == secret[:12] and key["scopes"] == ["users:read_self"]

    me = await client.get("/api/auth/me", headers=bearer(secret))
    assert (me.status_code, me.json()["email"]) == (200, "ada@example.com")
    assert (await client.get("/api/auth/api-keys", headers=bearer(secret))).status_code == 403  # keys don't mint keys

    listed = await client.get("/api/auth/api-keys", headers=bearer(token))
    assert [k["id"] for k in listed.json()] == [key["id"]] and secret not in listed.text
    assert listed.json()[0]["lastUsedAt"] is not None

    assert (await client.delete(f"/api/auth/api-keys/{key['id']}", headers=bearer(token))).status_code == 204
    refused = await client.get("/api/auth/me", headers=bearer(secret))
    assert (refused.status_code, refused.json()["code"]) == (401, "api_key_invalid")


async def test_bad_key_requests_name_the_field_and_other_peoples_keys_are_not_found(
    app: tuple[AsyncTestClient, AsyncContainer],
) -> None:
    client, _ = app
    customer = await signed_in(client, "cus@example.com", role="customer")
    not_held = await create_key(client, customer, scopes=["extensions:publish"])
    assert (not_held.status_code, not_held.json()["errors"][0]["field"]) == (422, "scopes")
    too_long = await create_key(client, customer, expiresInDays=366)
    assert (too_long.status_code, too_long.json()["errors"][0]["field"]) == (400, "expiresInDays")

    developer = await signed_in(client, "dev@example.com")
    theirs = (await create_key(client, developer)).json()["apiKey"]["id"]
    stranger = await client.delete(f"/api/auth/api-keys/{theirs}", headers=bearer(customer))
    missing = await client.delete("/api/auth/api-keys/00000000-0000-4000-8000-000000000000", headers=bearer(customer))
    assert stranger.status_code == missing.status_code == 404
    assert stranger.json()["detail"] == missing.json()["detail"]
    assert len((await client.get("/api/auth/api-keys", headers=bearer(developer))).json()) == 1


async def test_admins_manage_accounts_and_disabling_ends_every_session(
    app: tuple[AsyncTestClient, AsyncContainer],
) -> None:
    client, container = app
    admin = await session_actor(container, "root", Role.ADMIN, two_factor=True)
    user_token = await signed_in(client, "ada@example.com", role="customer")
    listed = await client.get("/api/admin/users", params={"role": "customer"}, headers=bearer(admin.token))
    assert [u["email"] for u in listed.json()] == ["ada@example.com"]
    user_id = listed.json()[0]["id"]

    role = await client.put(f"/api/admin/users/{user_id}/role", json={"role": "developer"}, headers=bearer(admin.token))
    assert role.json()["role"] == "developer"
    disabled = await client.post(f"/api/admin/users/{user_id}/disable", headers=bearer(admin.token))
    assert (disabled.status_code, disabled.json()["status"]) == (200, "disabled")
    assert (await client.get("/api/auth/me", headers=bearer(user_token))).status_code == 401
    enabled = await client.post(f"/api/admin/users/{user_id}/enable", headers=bearer(admin.token))
    assert enabled.json()["status"] == "active"

    # Refused to this caller, whatever the input (another admin may): 403, naming the account.
    self_disable = await client.post(f"/api/admin/users/{admin.user_id}/disable", headers=bearer(admin.token))
    assert (self_disable.status_code, self_disable.json()["code"]) == (403, "self_lockout_refused")
    self_demote = await client.put(
        f"/api/admin/users/{admin.user_id}/role", json={"role": "developer"}, headers=bearer(admin.token)
    )
    assert (self_demote.status_code, self_demote.json()["errors"][0]["field"]) == (403, "userId")
    bad_page = await client.get("/api/admin/users", params={"limit": 0}, headers=bearer(admin.token))
    assert bad_page.status_code == 400


async def test_an_admin_without_two_factor_is_refused_admin_endpoints(
    app: tuple[AsyncTestClient, AsyncContainer],
) -> None:
    client, container = app
    admin = await session_actor(container, "root", Role.ADMIN)
    refused = await client.get("/api/admin/users", headers=bearer(admin.token))
    assert (refused.status_code, refused.json()["code"]) == (403, "two_factor_required")
    customer = await signed_in(client, "cus@example.com", role="customer")
    denied = await client.put(
        f"/api/admin/users/{admin.user_id}/role", json={"role": "customer"}, headers=bearer(customer)
    )
    assert (denied.status_code, denied.json()["code"]) == (403, "permission_denied")
    garbage = await client.put(f"/api/admin/users/{admin.user_id}/role", content=b"{", headers=bearer(customer))
    assert garbage.status_code == 403  # refused before the body is read
