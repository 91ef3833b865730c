"""Two-factor sign-in, recovery codes and session management over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from devforge.adapters.memory.clock import ManualClock
from devforge.bootstrap.container import make_container
from devforge.entrypoints.http.app import create_app
from tests.conftest import manual_clock_provider, settings_for_tests
from tests.integration.backends import postgres_database, sqlite_database
from tests.integration.http.authentication_steps import PASSWORD, Account, bearer, log_in, register
from tests.integration.http.conftest import build_client


@pytest.fixture
async def api(clock: ManualClock) -> AsyncIterator[tuple[AsyncTestClient, AsyncContainer]]:
    test_client, container, _ = build_client(manual_clock_provider(clock), rate_limit_auth_per_minute=1000)
    async with test_client as client:
        yield client, container


async def test_two_factor_sign_in_recovery_codes_and_sessions(
    api: tuple[AsyncTestClient, AsyncContainer], clock: ManualClock
) -> None:
    client, container = api
    await register(container, "ada@example.com")
    ada = Account(client, clock, "ada@example.com")
    first_access = await ada.turn_on_two_factor()
    assert len(ada.recovery_codes) == len(set(ada.recovery_codes)) == 10
    me = await client.get("/api/auth/me", headers=bearer(first_access))
    assert me.status_code == 200

    challenge = (await log_in(client)).json()
    assert set(challenge) == {"twoFactorRequired", "challengeToken", "challengeExpiresAt"}
    code = ada.next_code()
    signed_in = await client.post(
        "/api/auth/login/2fa", json={"challengeToken": challenge["challengeToken"], "code": code}
    )
    assert signed_in.status_code == 200 and signed_in.json()["refreshToken"]
    replayed = await client.post(
        "/api/auth/login/2fa", json={"challengeToken": (await log_in(client)).json()["challengeToken"], "code": code}
    )
    assert (replayed.status_code, replayed.json()["errors"][0]["field"]) == (422, "code")

    by_recovery = await ada.sign_in(recoveryCode=ada.recovery_codes[0])
    assert by_recovery.status_code == 200
    reused = await ada.sign_in(recoveryCode=ada.recovery_codes[0])
    assert (reused.status_code, reused.json()["code"]) == (422, "two_factor_code_invalid")

    current = signed_in.json()
    listed = (await client.get("/api/auth/sessions", headers=bearer(current["accessToken"]))).json()
    assert len(listed) == 3 and all(s["active"] for s in listed)
    assert [s["id"] for s in listed if s["current"]] == [current["sessionId"]]
    assert set(listed[0]) == {"id", "device", "ip", "createdAt", "lastUsedAt", "expiresAt", "current", "active"}

    recovered = by_recovery.json()
    revoked = await client.delete(
        f"/api/auth/sessions/{recovered['sessionId']}", headers=bearer(current["accessToken"])
    )
    assert revoked.status_code == 204
    assert (await client.get("/api/auth/me", headers=bearer(recovered["accessToken"]))).status_code == 401

    others = await client.post("/api/auth/sessions/revoke-others", headers=bearer(current["accessToken"]))
    assert others.json() == {"revoked": 1, "revokedApiKeys": 0}
    assert (await client.get("/api/auth/me", headers=bearer(first_access))).status_code == 401
    assert (await client.get("/api/auth/me", headers=bearer(current["accessToken"]))).status_code == 200
    listed = (await client.get("/api/auth/sessions", headers=bearer(current["accessToken"]))).json()
    assert [s["id"] for s in listed] == [recovered["sessionId"], current["sessionId"], listed[2]["id"]]  # newest first
    assert [s["active"] for s in listed] == [False, True, False]


async def test_someone_elses_session_is_not_found(api: tuple[AsyncTestClient, AsyncContainer]) -> None:
    client, container = api
    await register(container, "ada@example.com")
    await register(container, "bob@example.com")
    ada = (await log_in(client)).json()
    bob = (await log_in(client, "bob@example.com")).json()
    theirs = await client.delete(f"/api/auth/sessions/{bob['sessionId']}", headers=bearer(ada["accessToken"]))
    missing = await client.delete(
        "/api/auth/sessions/00000000-0000-4000-8000-000000000000", headers=bearer(ada["accessToken"])
    )
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["detail"] == missing.json()["detail"]
    assert (await client.get("/api/auth/me", headers=bearer(bob["accessToken"]))).status_code == 200


async def test_turning_two_factor_off_needs_a_fresh_code(
    api: tuple[AsyncTestClient, AsyncContainer], clock: ManualClock
) -> None:
    client, container = api
    await register(container, "ada@example.com")
    ada = Account(client, clock, "ada@example.com")
    access = await ada.turn_on_two_factor()
    stale = await client.post("/api/auth/2fa/disable", json={"code": ada.totp.at(clock.now())}, headers=bearer(access))
    assert stale.status_code == 422
    off = await client.post(
        "/api/auth/2fa/disable", json={"code": ada.next_code(), "revokeOtherSessions": True}, headers=bearer(access)
    )
    assert off.status_code == 204
    assert "accessToken" in (await log_in(client)).json()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_the_whole_flow_on_the_real_profile_with_audit_in_its_own_transactions(
    backend: str, tmp_path: Path, clock: ManualClock
) -> None:
    """SQL repositories, AES-GCM sealing and an audit log that commits on its own connection:
    refused attempts are kept although their requests roll back, and nothing waits on a lock."""
    database = postgres_database() if backend == "postgres" else sqlite_database(tmp_path)
    async with database as url:
        config = settings_for_tests(database_url=url, data_dir=str(tmp_path), rate_limit_auth_per_minute=1000)
        container = make_container(config, manual_clock_provider(clock))
        async with AsyncTestClient(app=create_app(container, config)) as client:
            registered = await client.post(
                "/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD}
            )
            assert registered.status_code == 201
            ada = Account(client, clock, "ada@example.com")
            await ada.turn_on_two_factor()
            wrong = next(c for c in ("000000", "111111") if c != ada.totp.at(clock.now() + timedelta(seconds=30)))
            assert (await ada.sign_in(code=wrong)).status_code == 422
            assert (await ada.sign_in()).status_code == 200
            assert (await ada.sign_in(recoveryCode=ada.recovery_codes[3])).status_code == 200
            assert (await ada.sign_in(recoveryCode=ada.recovery_codes[3])).status_code == 422
            assert (await log_in(client, password="wrong password here")).status_code == 401
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT kind, outcome, detail FROM auth_audit"))
            audited = sorted((kind, outcome) for kind, outcome, _ in rows)
            sealed = (await connection.execute(text("SELECT sealed_secret FROM two_factor"))).scalar_one()
        await engine.dispose()
    assert sealed.startswith("v1.") and ada.totp.secret not in sealed
    assert audited == sorted(
        [("login", "success"), ("two_factor", "success")]  # the first sign-in; turning it on
        + [("login", "challenged"), ("two_factor", "failure")] * 2  # the wrong code, the reused recovery code
        + [("login", "challenged"), ("two_factor", "success")] * 2
        + [("login", "failure")]
    )
