"""Shared steps of the password-reset tests, on in-memory adapters."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from uuid import UUID, uuid4

from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.application.identity.ports import PasswordHasher, SessionRepository, UserRepository
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.application.identity.request_password_reset import RequestPasswordReset, RequestPasswordResetHandler
from devforge.application.identity.reset_password import ResetPassword, ResetPasswordHandler
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.session import Session
from tests.outbox_drain import drain

OLD, NEW = "correct horse battery staple", "a brand new passphrase 42"
TOKEN_IN_LINK = re.compile(r"/reset-password#token=([A-Za-z0-9_-]+)")


async def register(container: AsyncContainer, email: str = "ada@example.com") -> UUID:
    async with container() as scope:
        return (await (await scope.get(RegisterUserHandler))(RegisterUser(email, OLD))).id


async def request_reset(container: AsyncContainer, email: str = "ada@example.com") -> None:
    async with container() as scope:
        assert await (await scope.get(RequestPasswordResetHandler))(RequestPasswordReset(email)) is None


async def confirm(container: AsyncContainer, token: str, password: str = NEW) -> None:
    async with container() as scope:
        await (await scope.get(ResetPasswordHandler))(ResetPassword(token, password))


async def start_session(container: AsyncContainer, user_id: UUID, clock: ManualClock) -> UUID:
    session = Session.start(
        session_id=uuid4(),
        user_id=user_id,
        token_digest=secrets.token_hex(32),
        now=clock.now(),
        lifetime=timedelta(days=30),
        ip="192.0.2.1",
        device="test",
    )
    async with container() as scope:
        await (await scope.get(SessionRepository)).add(session)
        await (await scope.get(InMemoryUnitOfWork)).commit()
    return session.id


def reset_tokens(mailer: InMemoryMailer) -> list[str]:
    return [token for mail in mailer.sent for token in TOKEN_IN_LINK.findall(mail.text)]


async def password_ok(container: AsyncContainer, password: str) -> bool:
    async with container() as scope:
        user = await (await scope.get(UserRepository)).get_by_email(EmailAddress("ada@example.com"))
        assert user is not None
        return await (await scope.get(PasswordHasher)).verify(user.password_hash, password)


async def mailed_reset_token(container: AsyncContainer, mailer: InMemoryMailer) -> str:
    await request_reset(container)
    await drain(container)
    return reset_tokens(mailer)[-1]
