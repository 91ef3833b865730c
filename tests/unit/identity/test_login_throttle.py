"""A stranger cannot lock an owner out of sign-in: failures count per (account, address), with a
much larger ceiling per account that the owner's usual addresses pass."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from dishka import AsyncContainer, Provider, Scope

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.rate_limiter import InMemoryRateLimiter
from devforge.application.common.rate_limiter import RateLimiter
from devforge.application.identity.attempt_throttle import address_key
from devforge.application.identity.log_in import LogIn, LogInHandler
from devforge.application.identity.views import TokenPair
from devforge.bootstrap.container import make_container, memory_providers
from devforge.domain.identity.errors import CredentialsInvalid
from devforge.domain.shared.errors import TooManyAttempts
from tests.conftest import manual_clock_provider, settings_for_tests
from tests.unit.identity.test_accounts_and_sessions import PASSWORD, register

STRANGER, OWNER, CAFE = "203.0.113.66", "198.51.100.7", "192.0.2.44"


@pytest.fixture
async def memory_container(clock: ManualClock) -> AsyncIterator[AsyncContainer]:
    """The limiter's windows run on the test's clock."""
    limits = Provider(scope=Scope.APP)
    limits.provide(lambda: InMemoryRateLimiter(monotonic=lambda: clock.now().timestamp()), provides=RateLimiter)
    built = make_container(settings_for_tests(), manual_clock_provider(clock), limits, base=memory_providers())
    yield built
    await built.close()


async def attempt(container: AsyncContainer, ip: str, password: str = PASSWORD) -> str:
    async with container() as scope:
        try:
            answer = await (await scope.get(LogInHandler))(LogIn("ada@example.com", password, ip=ip))
        except CredentialsInvalid:
            return "wrong"
        except TooManyAttempts:
            return "throttled"
    assert isinstance(answer, TokenPair)
    return "signed in"


async def test_failures_from_another_address_do_not_lock_the_owner_out(memory_container: AsyncContainer) -> None:
    await register(memory_container)
    assert [await attempt(memory_container, STRANGER, f"guess {n}") for n in range(5)] == ["wrong"] * 5
    # The stranger's address is refused, the right password too: the answer is no oracle there.
    assert await attempt(memory_container, STRANGER) == "throttled"
    assert await attempt(memory_container, STRANGER, "guess 6") == "throttled"
    # The owner, anywhere else, is not.
    assert await attempt(memory_container, OWNER) == "signed in"


async def test_past_the_account_ceiling_only_the_owners_usual_addresses_get_through(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    await register(memory_container)
    assert await attempt(memory_container, OWNER) == "signed in"  # the owner's session from home
    clock.advance(timedelta(days=10))
    # A hundred failures from twenty addresses, five each: no address is over its own limit.
    for n in range(100):
        assert await attempt(memory_container, f"203.0.113.{n // 5 + 1}", f"guess {n}") == "wrong"
    assert await attempt(memory_container, CAFE) == "throttled"  # a new place waits out the hour
    assert await attempt(memory_container, "203.0.113.99", "guess again") == "throttled"
    assert await attempt(memory_container, OWNER) == "signed in"  # home still works
    clock.advance(timedelta(hours=1, seconds=1))
    assert await attempt(memory_container, CAFE) == "signed in"


@pytest.mark.parametrize(
    ("ip", "key"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),  # one host's /64 is one client
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("testclient", "testclient"),
    ],
)
def test_an_ipv6_host_is_one_client_however_many_addresses_it_uses(ip: str, key: str) -> None:
    assert address_key(ip) == key
