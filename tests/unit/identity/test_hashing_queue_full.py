"""A full hashing queue refuses a sign-in or a sign-up before any other work: no account lookup,
no failed attempt counted, no audit line, no account created; the same request succeeds once
there is room again."""

from __future__ import annotations

import pytest
from dishka import Provider, Scope

from devforge.adapters.memory.auth_audit import InMemoryAuthAuditLog
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.security import InMemoryPasswordHasher
from devforge.application.common.unavailable import ServiceUnavailable
from devforge.application.identity.auth_audit import AuditKind
from devforge.application.identity.log_in import LogIn, LogInHandler
from devforge.application.identity.ports import PasswordHasher
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.bootstrap.container import make_container, memory_providers
from tests.conftest import manual_clock_provider, settings_for_tests

PASSWORD = "correct horse battery staple"


async def test_a_full_hashing_queue_refuses_before_any_work_and_the_retry_succeeds() -> None:
    hasher = InMemoryPasswordHasher()
    wiring = Provider(scope=Scope.APP)
    wiring.provide(lambda: hasher, provides=PasswordHasher)
    container = make_container(
        settings_for_tests(), manual_clock_provider(ManualClock()), wiring, base=memory_providers()
    )
    async with container() as scope:
        await (await scope.get(RegisterUserHandler))(RegisterUser("ada@example.com", PASSWORD))

    hasher.full = True
    for attempt in range(10):  # more than the failed-attempt throttle would allow
        async with container() as scope:
            with pytest.raises(ServiceUnavailable) as refused:
                await (await scope.get(LogInHandler))(LogIn("ada@example.com", f"wrong {attempt} password here"))
        assert refused.value.retry_after_seconds == 1
    async with container() as scope:
        with pytest.raises(ServiceUnavailable):
            await (await scope.get(RegisterUserHandler))(RegisterUser("grace@example.com", PASSWORD))
    audit = await container.get(InMemoryAuthAuditLog)
    assert [entry for entry in audit.entries if entry.kind is AuditKind.LOGIN] == []

    hasher.full = False
    async with container() as scope:
        await (await scope.get(LogInHandler))(LogIn("ada@example.com", PASSWORD))  # not throttled
    async with container() as scope:
        await (await scope.get(RegisterUserHandler))(RegisterUser("grace@example.com", PASSWORD))  # not taken
    await container.close()
