"""Issue 12's must-show: the signed-in caller is served from a near cache in each API process, yet
a logout, a session revoke, a role change and a disable made through one process hold on the
very next request to another (production profile: PostgreSQL, Redis pub/sub between them).

Process B is warmed first (each token asked twice, so B answers it from its own copy), then every
change goes through process A and is checked on B at once, with no wait in between."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pyotp
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from devforge.domain.identity.roles import Role
from tests.fakes.servers import private_redis
from tests.integration.api_processes import api_process, http_client
from tests.integration.backends import postgres_database
from tests.integration.http.authentication_steps import PASSWORD, bearer


@pytest.fixture
async def database() -> AsyncIterator[str]:
    async with postgres_database() as url:
        yield url


async def registered(http: httpx.AsyncClient, api: str, database: str, email: str, role: Role) -> str:
    """Signed up through the API (its password hasher); an admin is then made so in the database."""
    answer = await http.post(f"{api}/api/auth/register", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    if role is Role.ADMIN:
        engine = create_async_engine(database)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("UPDATE users SET role = 'admin' WHERE email = :e"), {"e": email})
        finally:
            await engine.dispose()
    return str(answer.json()["id"])


@pytest.mark.xdist_group("api-processes")
async def test_logout_revoke_role_change_and_disable_hold_on_the_next_request_to_another_process(
    database: str, tmp_path: Path
) -> None:
    with private_redis() as redis, ExitStack() as stack:
        a, b = (stack.enter_context(api_process(database, redis.url, tmp_path, name)).url for name in ("a", "b"))
        async with http_client(timeout=30) as http:
            user_id = await registered(http, a, database, "ada@example.com", Role.CUSTOMER)
            await registered(http, a, database, "root@example.com", Role.ADMIN)

            async def log_in(email: str) -> dict[str, str]:
                answer = await http.post(f"{a}/api/auth/login", json={"email": email, "password": PASSWORD})
                assert answer.status_code == 200, answer.text
                return dict(answer.json())

            async def me_on_b(token: str) -> httpx.Response:
                return await http.get(f"{b}/api/auth/me", headers=bearer(token))

            admin = (await log_in("root@example.com"))["accessToken"]
            secret = (await http.post(f"{a}/api/auth/2fa/enroll", headers=bearer(admin))).json()["secret"]
            confirmed = await http.post(
                f"{a}/api/auth/2fa/confirm", json={"code": pyotp.TOTP(secret).now()}, headers=bearer(admin)
            )
            assert confirmed.status_code == 200, confirmed.text
            first, second, third = [await log_in("ada@example.com") for _ in range(3)]
            for session in (first, second, third):
                for _ in range(2):  # the first read fills Redis, the second keeps B's own copy
                    assert (await me_on_b(session["accessToken"])).status_code == 200

            assert (await http.post(f"{a}/api/auth/logout", headers=bearer(first["accessToken"]))).status_code == 204
            assert (await me_on_b(first["accessToken"])).status_code == 401

            revoked = await http.delete(
                f"{a}/api/auth/sessions/{second['sessionId']}", headers=bearer(third["accessToken"])
            )
            assert revoked.status_code == 204, revoked.text
            assert (await me_on_b(second["accessToken"])).status_code == 401

            assert (await me_on_b(third["accessToken"])).json()["role"] == "customer"
            changed = await http.put(
                f"{a}/api/admin/users/{user_id}/role", json={"role": "developer"}, headers=bearer(admin)
            )
            assert changed.status_code == 200, changed.text
            assert (await me_on_b(third["accessToken"])).json()["role"] == "developer"
            assert (await me_on_b(third["accessToken"])).json()["role"] == "developer"  # and B keeps it so

            disabled = await http.post(f"{a}/api/admin/users/{user_id}/disable", headers=bearer(admin))
            assert disabled.status_code == 200, disabled.text
            assert (await me_on_b(third["accessToken"])).status_code == 401
