"""Email verification on in-memory adapters: the mail, the token's rules, resending."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.adapters.memory.store import MemoryStore
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.principal import Principal
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.application.identity.resend_verification import ResendVerificationHandler
from devforge.application.identity.verify_email import VerifyEmail, VerifyEmailHandler
from devforge.application.identity.views import UserView
from devforge.domain.identity.errors import (
    EmailAlreadyVerified,
    TokenAlreadyUsed,
    TokenExpired,
    TokenInvalid,
    TokenSuperseded,
)
from devforge.domain.identity.roles import Role
from devforge.domain.shared.errors import TooManyAttempts
from devforge.entrypoints.worker.runtime import WorkerRuntime
from tests.outbox_drain import drain, relay

TOKEN_IN_LINK = re.compile(r"#token=([A-Za-z0-9_-]+)")


async def register(container: AsyncContainer, email: str = "ada@example.com") -> UserView:
    async with container() as scope:
        return await (await scope.get(RegisterUserHandler))(RegisterUser(email, "correct horse battery staple"))


async def verify(container: AsyncContainer, token: str) -> None:
    async with container() as scope:
        await (await scope.get(VerifyEmailHandler))(VerifyEmail(token))


async def resend(container: AsyncContainer, user: UserView) -> None:
    async with container() as scope:
        await (await scope.get(ResendVerificationHandler))(Principal(user.id, user.id, Role.CUSTOMER))


async def is_verified(container: AsyncContainer, user_id: UUID) -> bool:
    async with container() as scope:
        user = await (await scope.get(UserRepository)).get(user_id)
    assert user is not None
    return user.email_verified


def tokens_mailed(mailer: InMemoryMailer) -> list[str]:
    return [match for mail in mailer.sent for match in TOKEN_IN_LINK.findall(mail.text)]


async def test_the_welcome_mail_carries_a_link_that_verifies_the_address_once(
    memory_container: AsyncContainer, mailer: InMemoryMailer
) -> None:
    user = await register(memory_container)
    await drain(memory_container)
    [welcome] = mailer.sent
    assert welcome.subject == "Welcome to Dev Forge"
    assert welcome.html is not None and "/verify-email#token=" in welcome.html
    [token] = tokens_mailed(mailer)
    assert len(token) >= 43  # 256 random bits, base64url
    assert welcome.text.count(f"http://127.0.0.1:8000/verify-email#token={token}") == 1

    await verify(memory_container, token)
    assert await is_verified(memory_container, user.id)
    with pytest.raises(TokenAlreadyUsed):
        await verify(memory_container, token)


async def test_an_unknown_token_is_refused_naming_the_field(memory_container: AsyncContainer) -> None:
    with pytest.raises(TokenInvalid) as refused:
        await verify(memory_container, "not-a-token")
    assert refused.value.field == "token"


async def test_a_verification_link_expires_after_24_hours(
    memory_container: AsyncContainer, mailer: InMemoryMailer, clock: ManualClock
) -> None:
    user = await register(memory_container)
    await drain(memory_container)
    clock.advance(timedelta(hours=24))
    with pytest.raises(TokenExpired):
        await verify(memory_container, tokens_mailed(mailer)[0])
    assert not await is_verified(memory_container, user.id)


async def test_a_resent_link_supersedes_the_older_one(
    memory_container: AsyncContainer, mailer: InMemoryMailer, clock: ManualClock
) -> None:
    user = await register(memory_container)
    await drain(memory_container)
    clock.advance(timedelta(minutes=5))
    await resend(memory_container, user)
    await drain(memory_container)
    assert [mail.subject for mail in mailer.sent] == ["Welcome to Dev Forge", "Confirm your email address"]
    first, second = tokens_mailed(mailer)
    with pytest.raises(TokenSuperseded):
        await verify(memory_container, first)
    await verify(memory_container, second)
    assert await is_verified(memory_container, user.id)


async def test_a_verified_address_gets_no_new_link(memory_container: AsyncContainer, mailer: InMemoryMailer) -> None:
    user = await register(memory_container)
    await drain(memory_container)
    await verify(memory_container, tokens_mailed(mailer)[0])
    with pytest.raises(EmailAlreadyVerified):
        await resend(memory_container, user)


async def test_at_most_three_links_an_hour_are_resent(memory_container: AsyncContainer) -> None:
    user = await register(memory_container)
    for _ in range(3):
        await resend(memory_container, user)
    with pytest.raises(TooManyAttempts) as refused:
        await resend(memory_container, user)
    assert refused.value.retry_after_seconds > 0


async def test_a_redelivered_registration_mints_one_token_and_sends_one_mail(
    memory_container: AsyncContainer, mailer: InMemoryMailer
) -> None:
    await register(memory_container)
    jobs = await relay(memory_container)
    worker = WorkerRuntime(memory_container)
    for job in jobs + jobs:  # the queue delivers at least once
        await worker.deliver_event(job)
    mails = await relay(memory_container)
    for job in mails + mails:
        await worker.deliver_event(job)
    store = await memory_container.get(MemoryStore)
    assert len(store.table("one_time_tokens")) == 1
    assert len(store.table("mail_outbox")) == 1
    assert len(mailer.sent) == 1


async def test_the_raw_token_is_stored_nowhere(memory_container: AsyncContainer, mailer: InMemoryMailer) -> None:
    user = await register(memory_container)
    await resend(memory_container, user)
    await drain(memory_container)
    store = await memory_container.get(MemoryStore)
    everything = repr(store.snapshot())
    tokens = tokens_mailed(mailer)
    assert len(tokens) == 2
    assert all(token not in everything for token in tokens)
