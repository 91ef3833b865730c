"""Concurrency rules on real databases: what two requests at once may and may not do."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from dishka import AsyncContainer

from devforge.application.identity.log_in import LogIn, LogInHandler
from devforge.application.identity.refresh_session import RefreshSession, RefreshSessionHandler
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.domain.identity.errors import EmailAlreadyRegistered, SessionInvalid
from devforge.domain.shared.errors import NotAuthenticated
from tests.integration.backends import backend_container

PASSWORD = "correct horse battery staple"


@pytest.fixture(params=["sqlite", "postgres"])
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


async def register(container: AsyncContainer, email: str) -> object:
    async with container() as scope:
        return await (await scope.get(RegisterUserHandler))(RegisterUser(email, PASSWORD))


async def refresh(container: AsyncContainer, token: str) -> object:
    async with container() as scope:
        return await (await scope.get(RefreshSessionHandler))(RefreshSession(token))


async def test_concurrent_sign_ups_with_one_email_make_one_account(container: AsyncContainer) -> None:
    results = await asyncio.gather(*(register(container, "ada@example.com") for _ in range(5)), return_exceptions=True)
    assert sum(not isinstance(r, BaseException) for r in results) == 1
    assert all(isinstance(r, EmailAlreadyRegistered) for r in results if isinstance(r, BaseException))


async def test_one_refresh_token_presented_twice_at_once_never_yields_two_live_sessions(
    container: AsyncContainer,
) -> None:
    await register(container, "ada@example.com")
    async with container() as scope:
        tokens = await (await scope.get(LogInHandler))(LogIn("ada@example.com", PASSWORD))
    results = await asyncio.gather(
        *(refresh(container, tokens.refresh_token) for _ in range(4)), return_exceptions=True
    )
    winners = [r for r in results if not isinstance(r, BaseException)]
    assert all(isinstance(r, NotAuthenticated) for r in results if isinstance(r, BaseException)), results
    assert len(winners) <= 1
    # Whichever refresh won, its token no longer works: the replay revoked the family.
    for won in winners:
        with pytest.raises(SessionInvalid):
            await refresh(container, won.refresh_token)  # type: ignore[attr-defined]
