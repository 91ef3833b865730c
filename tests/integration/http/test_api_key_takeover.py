"""An access token stolen from a browser cannot be turned into an API key that outlives the
owner taking the account back: minting a key asks for the password (or a fresh code), the
owner is mailed about every key, and a password reset or "sign out everywhere" revokes them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from tests.conftest import manual_clock_provider
from tests.integration.http.authentication_steps import Account
from tests.integration.http.conftest import build_client
from tests.integration.http.test_recovery_api import NEW_PASSWORD, PASSWORD, PUBLIC, Harness

KEY = {"name": "ci", "scopes": ["users:read_self"], "expiresInDays": 365}


@pytest.fixture
async def api(clock: ManualClock) -> AsyncIterator[Harness]:
    client, container, _ = build_client(manual_clock_provider(clock), public_base_url=PUBLIC)
    async with client as running:
        yield Harness(running, container, await container.get(InMemoryMailer))


async def me_with(api: Harness, secret: str) -> Any:
    return await api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {secret}"})


async def signed_up(api: Harness) -> str:
    assert (await api.post("/register", {"email": "ada@example.com", "password": PASSWORD})).status_code == 201
    return str((await api.log_in()).json()["accessToken"])


async def test_an_api_key_created_from_a_session_is_dead_after_a_password_reset(api: Harness) -> None:
    access = await signed_up(api)
    created = await api.post("/api-keys", KEY | {"password": PASSWORD}, token=access)
    assert created.status_code == 201, created.text
    secret = created.json()["key"]
    assert (await me_with(api, secret)).status_code == 200

    assert (await api.post("/reset-password", {"email": "ada@example.com"})).status_code == 202
    token = await api.token_mailed("Reset your Dev Forge password")
    assert (await api.post("/reset-password/confirm", {"token": token, "newPassword": NEW_PASSWORD})).status_code == 204

    dead = await me_with(api, secret)
    assert (dead.status_code, dead.json()["code"]) == (401, "api_key_invalid")
    [listed] = (
        await api.client.get(
            "/api/auth/api-keys",
            headers={"Authorization": f"Bearer {(await api.log_in(NEW_PASSWORD)).json()['accessToken']}"},
        )
    ).json()
    assert listed["revokedAt"] is not None


async def test_a_session_alone_cannot_mint_a_key(api: Harness) -> None:
    stolen = await signed_up(api)
    bare = await api.post("/api-keys", KEY, token=stolen)
    assert (bare.status_code, bare.json()["code"]) == (403, "reauthentication_required")
    guessed = await api.post("/api-keys", KEY | {"password": "a wild guess at it"}, token=stolen)
    assert (guessed.status_code, guessed.json()["code"]) == (422, "reauthentication_failed")
    assert guessed.json()["errors"] == [{"field": "password", "message": "The password is incorrect."}]
    for attempt in range(4):
        await api.post("/api-keys", KEY | {"password": f"guess {attempt}"}, token=stolen)
    throttled = await api.post("/api-keys", KEY | {"password": PASSWORD}, token=stolen)
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) >= 1
    listed = await api.client.get("/api/auth/api-keys", headers={"Authorization": f"Bearer {stolen}"})
    assert listed.json() == []


async def test_signing_out_everywhere_revokes_the_keys_and_every_new_key_is_mailed(api: Harness) -> None:
    access = await signed_up(api)
    other = (await api.log_in()).json()["accessToken"]
    secret = (await api.post("/api-keys", KEY | {"password": PASSWORD}, token=other)).json()["key"]
    await api.token_mailed("Welcome to Dev Forge")  # drains the outbox
    [notice] = [m for m in api.mailer.sent if m.subject == "A new API key for your Dev Forge account"]
    assert notice.to == "ada@example.com" and '"ci"' in notice.text and "users:read_self" in notice.text

    ended = await api.post("/sessions/revoke-others", token=access)
    assert ended.json() == {"revoked": 1, "revokedApiKeys": 1}
    assert (await me_with(api, secret)).status_code == 401
    assert (await me_with(api, other)).status_code == 401


async def test_with_two_factor_on_a_fresh_code_confirms_instead_of_the_password(
    api: Harness, clock: ManualClock
) -> None:
    assert (await api.post("/register", {"email": "ada@example.com", "password": PASSWORD})).status_code == 201
    ada = Account(api.client, clock, "ada@example.com")
    access = await ada.turn_on_two_factor()
    code = ada.next_code()
    created = await api.post("/api-keys", KEY | {"code": code}, token=access)
    assert created.status_code == 201, created.text
    replayed = await api.post("/api-keys", KEY | {"code": code}, token=access)
    assert (replayed.status_code, replayed.json()["code"]) == (422, "reauthentication_failed")
