"""A link clicked several times at once works once, on real databases."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.application.identity.request_password_reset import RequestPasswordReset, RequestPasswordResetHandler
from devforge.application.identity.reset_password import ResetPassword, ResetPasswordHandler
from devforge.application.identity.verify_email import VerifyEmail, VerifyEmailHandler
from devforge.domain.identity.errors import TokenInvalid
from tests.integration.backends import backend_container
from tests.outbox_drain import drain


@pytest.fixture(params=["sqlite", "postgres"])
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


async def mailed_tokens(container: AsyncContainer) -> dict[str, str]:
    async with container() as scope:
        await (await scope.get(RegisterUserHandler))(RegisterUser("ada@example.com", "correct horse battery staple"))
    async with container() as scope:
        await (await scope.get(RequestPasswordResetHandler))(RequestPasswordReset("ada@example.com"))
    await drain(container)
    mailer = await container.get(InMemoryMailer)
    return {m.subject: re.findall(r"#token=([A-Za-z0-9_-]+)", m.text)[0] for m in mailer.sent}


async def verify(container: AsyncContainer, token: str) -> None:
    async with container() as scope:
        await (await scope.get(VerifyEmailHandler))(VerifyEmail(token))


async def reset(container: AsyncContainer, token: str, password: str) -> None:
    async with container() as scope:
        await (await scope.get(ResetPasswordHandler))(ResetPassword(token, password))


async def test_concurrent_uses_of_one_link_succeed_once(container: AsyncContainer) -> None:
    tokens = await mailed_tokens(container)
    verifications = await asyncio.gather(
        *(verify(container, tokens["Welcome to Dev Forge"]) for _ in range(4)), return_exceptions=True
    )
    resets = await asyncio.gather(
        *(reset(container, tokens["Reset your Dev Forge password"], f"new passphrase number {n}") for n in range(4)),
        return_exceptions=True,
    )
    for outcomes in (verifications, resets):
        assert sum(outcome is None for outcome in outcomes) == 1, outcomes
        assert all(isinstance(o, TokenInvalid) for o in outcomes if o is not None), outcomes
