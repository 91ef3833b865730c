"""Per-account and per-address throttling, and the authentication audit log, over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from devforge.adapters.memory.clock import ManualClock
from devforge.domain.identity.roles import Role
from tests.conftest import manual_clock_provider
from tests.integration.http.authentication_steps import Account, bearer, log_in, register
from tests.integration.http.conftest import build_client


@pytest.fixture
async def api(clock: ManualClock) -> AsyncIterator[tuple[AsyncTestClient, AsyncContainer]]:
    test_client, container, _ = build_client(manual_clock_provider(clock), rate_limit_auth_per_minute=1000)
    async with test_client as client:
        yield client, container


async def test_one_account_under_attack_is_slowed_with_retry_after(api: tuple[AsyncTestClient, AsyncContainer]) -> None:
    client, container = api
    await register(container, "ada@example.com")
    answers = [await log_in(client, password=f"guess number {n}") for n in range(5)]
    assert [a.status_code for a in answers] == [401] * 5
    for attempt in (await log_in(client, password="guess number 6"), await log_in(client)):
        assert attempt.status_code == 429
        assert attempt.json()["code"] == "too_many_attempts"
        assert 1 <= int(attempt.headers["retry-after"]) <= 300
    assert (await log_in(client, "bob@example.com")).status_code == 401  # other accounts are unaffected


async def test_many_accounts_from_one_address_hit_the_per_ip_limit(clock: ManualClock) -> None:
    test_client, container, _ = build_client(manual_clock_provider(clock), rate_limit_auth_per_minute=10)
    for n in range(11):
        await register(container, f"user{n}@example.com")
    async with test_client as client:
        answers = [await log_in(client, f"user{n}@example.com", "one guess per account") for n in range(11)]
    assert [a.status_code for a in answers] == [401] * 10 + [429]
    assert 1 <= int(answers[-1].headers["retry-after"]) <= 60


async def test_every_attempt_is_audited_and_admins_with_two_factor_can_read_it(
    api: tuple[AsyncTestClient, AsyncContainer], clock: ManualClock
) -> None:
    client, container = api
    await register(container, "root@example.com", Role.ADMIN)
    ada_id = await register(container, "ada@example.com")
    first, second = (await log_in(client)).json(), (await log_in(client)).json()
    assert (await client.post("/api/auth/logout", headers=bearer(second["accessToken"]))).status_code == 204
    await client.post("/api/auth/refresh", json={"refreshToken": first["refreshToken"]})
    replay = await client.post("/api/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert replay.json()["code"] == "refresh_token_reused"
    for _ in range(5):
        await log_in(client, password="wrong wrong wrong")
    assert (await log_in(client)).status_code == 429

    root = Account(client, clock, "root@example.com")
    before_two_factor = (await log_in(client, "root@example.com")).json()["accessToken"]
    refused = await client.get("/api/admin/audit/auth", headers=bearer(before_two_factor))
    assert (refused.status_code, refused.json()["code"]) == (403, "two_factor_required")
    await root.turn_on_two_factor()
    wrong = await root.sign_in(code="12345x")
    assert wrong.status_code == 422
    admin = (await root.sign_in()).json()["accessToken"]
    unknown = (await log_in(client, "nobody@example.com")).json()  # audited without a user
    assert unknown["code"] == "credentials_invalid"

    answer = await client.get("/api/admin/audit/auth", headers=bearer(admin), params={"userId": ada_id})
    assert answer.status_code == 200
    trail = [(e["kind"], e["outcome"]) for e in answer.json()]
    assert trail == [("login", "failure")] * 5 + [
        ("refresh", "reuse_detected"),
        ("logout", "success"),
        ("login", "success"),
        ("login", "success"),
    ]
    everything = (await client.get("/api/admin/audit/auth", headers=bearer(admin), params={"limit": 500})).json()
    throttled = [e for e in everything if e["outcome"] == "throttled"]
    assert len(throttled) == 1 and throttled[0]["userId"] is None
    assert throttled[0]["emailDigest"] == answer.json()[0]["emailDigest"] != ""
    assert "ada@example.com" not in str(everything)
    assert {(e["kind"], e["outcome"]) for e in everything if e["userId"] != ada_id} >= {
        ("login", "challenged"),
        ("two_factor", "failure"),
        ("two_factor", "success"),
    }
    limited = await client.get("/api/admin/audit/auth", headers=bearer(admin), params={"limit": 2})
    assert len(limited.json()) == 2


async def test_the_audit_log_is_for_admins_only(api: tuple[AsyncTestClient, AsyncContainer]) -> None:
    client, container = api
    await register(container, "ada@example.com", Role.DEVELOPER)
    token = (await log_in(client)).json()["accessToken"]
    answer = await client.get("/api/admin/audit/auth", headers=bearer(token))
    assert answer.status_code == 403
    assert (await client.get("/api/admin/audit/auth")).status_code == 401
