"""Asking for a password reset on in-memory adapters: every address gets the same answer after
the same work, and mails are limited per account."""

from __future__ import annotations

from datetime import timedelta

from dishka import AsyncContainer, Provider, Scope

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.adapters.memory.rate_limiter import InMemoryRateLimiter
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.application.common.outbox import Outbox
from devforge.application.common.rate_limiter import RateDecision, RateLimiter
from devforge.application.identity.opaque_tokens import OpaqueTokens
from devforge.application.identity.request_password_reset import RequestPasswordReset, RequestPasswordResetHandler
from devforge.bootstrap.container import make_container, memory_providers
from tests.conftest import manual_clock_provider, settings_for_tests
from tests.outbox_drain import drain
from tests.unit.identity.reset_steps import (
    register,
    request_reset,
    reset_tokens,
)


async def test_a_reset_mail_delayed_past_its_hour_is_not_sent(
    memory_container: AsyncContainer, mailer: InMemoryMailer, clock: ManualClock
) -> None:
    await register(memory_container)
    await drain(memory_container)
    await request_reset(memory_container)
    clock.advance(timedelta(hours=1))  # the queue was stuck all that time
    await drain(memory_container)
    assert reset_tokens(mailer) == []


async def test_at_most_three_reset_mails_an_hour_per_account(
    memory_container: AsyncContainer, mailer: InMemoryMailer
) -> None:
    await register(memory_container)
    for _ in range(5):
        await request_reset(memory_container)  # every request answers alike
    await drain(memory_container)
    assert len(reset_tokens(mailer)) == 3


class CountingOpaqueTokens(OpaqueTokens):
    def __init__(self) -> None:
        super().__init__(b"test-key")
        self.digests = 0

    def digest(self, token: str) -> str:
        self.digests += 1
        return super().digest(token)


class CountingRateLimiter(InMemoryRateLimiter):
    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> RateDecision:
        self.keys.append(key)
        return await super().hit(key, limit=limit, window_seconds=window_seconds)


async def test_an_unknown_address_gets_the_same_work_and_no_mail(clock: ManualClock) -> None:
    opaque, limiter = CountingOpaqueTokens(), CountingRateLimiter()
    counting = Provider(scope=Scope.APP)
    counting.provide(lambda: opaque, provides=OpaqueTokens)
    counting.provide(lambda: limiter, provides=RateLimiter)
    container = make_container(settings_for_tests(), manual_clock_provider(clock), counting, base=memory_providers())
    mailer = await container.get(InMemoryMailer)
    await register(container)
    await drain(container)
    mailer.sent.clear()
    work = []
    for email in ("ada@example.com", "nobody@example.com"):
        opaque.digests, limiter.keys = 0, []
        async with container() as scope:
            await (await scope.get(RequestPasswordResetHandler))(RequestPasswordReset(email))
            committed = (await scope.get(InMemoryUnitOfWork)).committed
        work.append((opaque.digests, len(limiter.keys), committed))
    assert work[0] == work[1] == (1, 1, True)
    assert "nobody@example.com" not in repr(limiter.keys)  # keyed by a digest, never the address
    async with container() as scope:
        events = await (await scope.get(Outbox)).claim_unrelayed(100)
    assert [e.payload["email"] for e in events if e.name == "identity.password_reset_requested"] == ["ada@example.com"]
    await drain(container)
    assert [mail.to for mail in mailer.sent] == ["ada@example.com"]
    await container.close()
