"""Sign-in for an unknown email does the same work as for a known one: it still checks a hash."""

from __future__ import annotations

import pytest
from dishka import Provider, Scope

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.security import InMemoryPasswordHasher
from devforge.application.identity.log_in import LogIn, LogInHandler
from devforge.application.identity.ports import PasswordHasher
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.bootstrap.container import make_container, memory_providers
from devforge.domain.identity.errors import CredentialsInvalid
from tests.conftest import manual_clock_provider, settings_for_tests


class CountingHasher(InMemoryPasswordHasher):
    def __init__(self) -> None:
        super().__init__()
        self.verified: list[str | None] = []

    async def verify(self, password_hash: str | None, password: str) -> bool:
        self.verified.append(password_hash)
        return await super().verify(password_hash, password)


async def test_known_and_unknown_emails_each_cost_one_hash_check() -> None:
    hasher = CountingHasher()
    wiring = Provider(scope=Scope.APP)
    wiring.provide(lambda: hasher, provides=PasswordHasher)
    container = make_container(
        settings_for_tests(), manual_clock_provider(ManualClock()), wiring, base=memory_providers()
    )
    async with container() as scope:
        await (await scope.get(RegisterUserHandler))(RegisterUser("ada@example.com", "correct horse battery staple"))
    for email in ("ada@example.com", "nobody@example.com", "not-an-email"):
        async with container() as scope:
            with pytest.raises(CredentialsInvalid):
                await (await scope.get(LogInHandler))(LogIn(email, "wrong password entirely"))
    assert len(hasher.verified) == 3
    assert hasher.verified[0] is not None  # the account's own hash
    assert hasher.verified[1:] == [None, None]  # the adapter checks its dummy hash for these
    await container.close()
