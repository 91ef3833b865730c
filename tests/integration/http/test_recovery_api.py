"""Email verification and password reset over HTTP, mails driven through the outbox."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from tests.conftest import manual_clock_provider
from tests.integration.http.conftest import build_client
from tests.outbox_drain import drain

PASSWORD, NEW_PASSWORD = "correct horse battery staple", "a brand new passphrase 42"
PUBLIC = "https://forge.example"


class Harness:
    def __init__(self, client: AsyncTestClient, container: AsyncContainer, mailer: InMemoryMailer) -> None:
        self.client, self.container, self.mailer = client, container, mailer

    async def post(self, path: str, body: dict[str, Any] | None = None, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return await self.client.post(f"/api/auth{path}", json=body or {}, headers=headers)

    async def log_in(self, password: str = PASSWORD) -> Any:
        return await self.post("/login", {"email": "ada@example.com", "password": password})

    async def token_mailed(self, subject: str) -> str:
        await drain(self.container)
        [mail] = [m for m in self.mailer.sent if m.subject == subject][-1:]
        [link] = re.findall(r"https?://\S+#token=\S+", mail.text)
        assert link.startswith(f"{PUBLIC}/"), link
        return link.rpartition("#token=")[2]


@pytest.fixture
async def api(clock: ManualClock) -> AsyncIterator[Harness]:
    client, container, _ = build_client(manual_clock_provider(clock), public_base_url=PUBLIC)
    async with client as running:
        yield Harness(running, container, await container.get(InMemoryMailer))


async def test_register_then_verify_from_the_mailed_link(api: Harness) -> None:
    assert (await api.post("/register", {"email": "ada@example.com", "password": PASSWORD})).status_code == 201
    token = await api.token_mailed("Welcome to Dev Forge")
    access = (await api.log_in()).json()["accessToken"]
    me = await api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {access}"})
    assert me.json()["emailVerified"] is False

    assert (await api.post("/verify-email", {"token": token})).status_code == 204
    me = await api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {access}"})
    assert me.json()["emailVerified"] is True
    again = await api.post("/verify-email", {"token": token})
    assert (again.status_code, again.json()["code"]) == (422, "token_already_used")
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["errors"] == [{"field": "token", "message": "This link was already used."}]
    resend = await api.post("/verify-email/resend", token=access)
    assert (resend.status_code, resend.json()["code"]) == (409, "email_already_verified")


async def test_a_resent_link_arrives_and_works(api: Harness) -> None:
    await api.post("/register", {"email": "ada@example.com", "password": PASSWORD})
    access = (await api.log_in()).json()["accessToken"]
    assert (await api.post("/verify-email/resend")).status_code == 401
    resend = await api.post("/verify-email/resend", token=access)
    assert resend.status_code == 202 and "24 hours" in resend.json()["detail"]
    token = await api.token_mailed("Confirm your email address")
    for _ in range(2):  # three links an hour per account
        assert (await api.post("/verify-email/resend", token=access)).status_code == 202
    flooding = await api.post("/verify-email/resend", token=access)
    assert (flooding.status_code, flooding.json()["code"]) == (429, "too_many_attempts")
    assert int(flooding.headers["retry-after"]) > 0
    newest = await api.token_mailed("Confirm your email address")
    assert (await api.post("/verify-email", {"token": token})).status_code == 422  # superseded
    assert (await api.post("/verify-email", {"token": newest})).status_code == 204


async def test_bad_tokens_are_refused_naming_the_field(api: Harness) -> None:
    unknown = await api.post("/verify-email", {"token": "no-such-token"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "token_invalid")
    empty = await api.post("/reset-password/confirm", {"token": "", "newPassword": NEW_PASSWORD})
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "token"


async def test_a_reset_request_answers_alike_for_known_and_unknown_addresses(api: Harness) -> None:
    await api.post("/register", {"email": "ada@example.com", "password": PASSWORD})
    known = await api.post("/reset-password", {"email": "ada@example.com"})
    unknown = await api.post("/reset-password", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content
    assert sorted(known.headers.keys()) == sorted(unknown.headers.keys())
    volatile = {"x-request-id", "date"}
    assert {k: v for k, v in known.headers.items() if k not in volatile} == {
        k: v for k, v in unknown.headers.items() if k not in volatile
    }
    await drain(api.container)
    assert [m.to for m in api.mailer.sent if m.subject == "Reset your Dev Forge password"] == ["ada@example.com"]


async def test_a_full_reset_signs_out_everywhere_and_the_new_password_works(api: Harness) -> None:
    await api.post("/register", {"email": "ada@example.com", "password": PASSWORD})
    session = (await api.log_in()).json()
    requested = await api.client.post(
        "/api/auth/reset-password", json={"email": "ada@example.com"}, headers={"Host": "evil.example"}
    )
    assert requested.status_code == 202
    token = await api.token_mailed("Reset your Dev Forge password")  # the link is on PUBLIC, not evil.example

    weak = await api.post("/reset-password/confirm", {"token": token, "newPassword": "password"})
    assert (weak.status_code, weak.json()["errors"][0]["field"]) == (422, "newPassword")
    assert (await api.post("/reset-password/confirm", {"token": token, "newPassword": NEW_PASSWORD})).status_code == 204

    refreshed = await api.post("/refresh", {"refreshToken": session["refreshToken"]})
    me = await api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {session['accessToken']}"})
    assert (refreshed.status_code, me.status_code) == (401, 401)
    assert (await api.log_in()).status_code == 401
    assert (await api.log_in(NEW_PASSWORD)).status_code == 200
    replay = await api.post("/reset-password/confirm", {"token": token, "newPassword": "yet another passphrase 7"})
    assert (replay.status_code, replay.json()["code"]) == (422, "token_already_used")
    await drain(api.container)
    assert "Your Dev Forge password was changed" in [m.subject for m in api.mailer.sent]


async def test_reset_requests_are_throttled_per_client_address(clock: ManualClock) -> None:
    client, _, _ = build_client(manual_clock_provider(clock), rate_limit_auth_per_minute=2)
    async with client as running:
        answers = [await running.post("/api/auth/reset-password", json={"email": "a@example.com"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [202, 202, 429]
    assert int(answers[-1].headers["retry-after"]) > 0


async def test_the_recovery_endpoints_are_documented_with_their_errors(api: Harness) -> None:
    paths = (await api.client.get("/schema/openapi.json")).json()["paths"]
    for path, status in [
        ("/api/auth/verify-email", "204"),
        ("/api/auth/verify-email/resend", "202"),
        ("/api/auth/reset-password", "202"),
        ("/api/auth/reset-password/confirm", "204"),
    ]:
        operation = paths[path]["post"]
        assert operation["summary"] and operation["description"]
        assert status in operation["responses"] and "429" in operation["responses"]
