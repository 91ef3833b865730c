"""Two-factor and per-account throttling through the use cases, on in-memory adapters with a
clock the test moves (the rate limiter reads the same clock)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pyotp
import pytest
from dishka import AsyncContainer, Provider, Scope

from devforge.adapters.memory.auth_audit import InMemoryAuthAuditLog
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.rate_limiter import InMemoryRateLimiter
from devforge.application.common.rate_limiter import RateLimiter
from devforge.application.identity.auth_audit import AuditKind, AuditOutcome
from devforge.application.identity.authenticate import Authenticate
from devforge.application.identity.confirm_two_factor import ConfirmTwoFactor, ConfirmTwoFactorHandler
from devforge.application.identity.disable_two_factor import DisableTwoFactor, DisableTwoFactorHandler
from devforge.application.identity.enroll_two_factor import EnrollTwoFactorHandler, TwoFactorEnrollment
from devforge.application.identity.log_in import LogIn, LogInHandler
from devforge.application.identity.log_in_with_two_factor import LogInWithTwoFactor, LogInWithTwoFactorHandler
from devforge.application.identity.login_challenges import TwoFactorChallenge
from devforge.application.identity.principal import Principal
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.application.identity.two_factor_ports import TwoFactorRepository
from devforge.application.identity.views import TokenPair
from devforge.bootstrap.container import make_container, memory_providers
from devforge.domain.identity.errors import (
    CredentialsInvalid,
    TwoFactorChallengeInvalid,
    TwoFactorCodeInvalid,
)
from devforge.domain.shared.errors import TooManyAttempts
from tests.conftest import manual_clock_provider, settings_for_tests

PASSWORD = "correct horse battery staple"


@pytest.fixture
async def container(clock: ManualClock) -> AsyncIterator[AsyncContainer]:
    limits = Provider(scope=Scope.APP)
    limits.provide(lambda: InMemoryRateLimiter(monotonic=lambda: clock.now().timestamp()), provides=RateLimiter)
    built = make_container(settings_for_tests(), manual_clock_provider(clock), limits, base=memory_providers())
    yield built
    await built.close()


async def log_in(container: AsyncContainer, password: str = PASSWORD) -> TokenPair | TwoFactorChallenge:
    async with container() as scope:
        return await (await scope.get(LogInHandler))(LogIn("ada@example.com", password, ip="192.0.2.1", device="t"))


async def second_step(container: AsyncContainer, challenge: str, **factor: str) -> TokenPair:
    async with container() as scope:
        return await (await scope.get(LogInWithTwoFactorHandler))(LogInWithTwoFactor(challenge, **factor))


async def principal_of(container: AsyncContainer, tokens: TokenPair) -> Principal:
    async with container() as scope:
        return await (await scope.get(Authenticate))(tokens.access_token)


def wrong_code(totp: pyotp.TOTP, clock: ManualClock) -> str:
    """A code no step of the accepted window has."""
    valid = {totp.at(clock.now() + timedelta(seconds=drift)) for drift in (-30, 0, 30)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


async def with_two_factor(container: AsyncContainer, clock: ManualClock) -> tuple[pyotp.TOTP, list[str], Principal]:
    async with container() as scope:
        await (await scope.get(RegisterUserHandler))(RegisterUser("ada@example.com", PASSWORD))
    first = await log_in(container)
    assert isinstance(first, TokenPair)
    principal = await principal_of(container, first)
    async with container() as scope:
        enrollment: TwoFactorEnrollment = await (await scope.get(EnrollTwoFactorHandler))(principal)
    totp = pyotp.TOTP(enrollment.secret)
    async with container() as scope:
        codes = await (await scope.get(ConfirmTwoFactorHandler))(principal, ConfirmTwoFactor(totp.at(clock.now())))
    return totp, codes, principal


async def test_the_secret_is_stored_sealed_and_the_password_then_only_earns_a_challenge(
    container: AsyncContainer, clock: ManualClock
) -> None:
    totp, codes, principal = await with_two_factor(container, clock)
    async with container() as scope:
        stored = await (await scope.get(TwoFactorRepository)).get(principal.user_id)
    assert stored is not None and totp.secret not in stored.sealed_secret
    assert len(codes) == len(set(codes)) == 10
    assert all(code not in str(stored.recovery_codes) for code in codes)

    challenge = await log_in(container)
    assert isinstance(challenge, TwoFactorChallenge)
    assert challenge.expires_at == clock.now() + timedelta(minutes=5)
    clock.advance(timedelta(seconds=30))
    tokens = await second_step(container, challenge.challenge_token, code=totp.at(clock.now()))
    assert (await principal_of(container, tokens)).user_id == principal.user_id
    with pytest.raises(TwoFactorChallengeInvalid):  # one challenge, one session
        await second_step(container, challenge.challenge_token, code=totp.at(clock.now() + timedelta(seconds=30)))


async def test_a_code_works_once_even_with_a_new_challenge(container: AsyncContainer, clock: ManualClock) -> None:
    totp, _, _ = await with_two_factor(container, clock)
    clock.advance(timedelta(seconds=30))
    code = totp.at(clock.now())
    first = await log_in(container)
    assert isinstance(first, TwoFactorChallenge)
    await second_step(container, first.challenge_token, code=code)
    again = await log_in(container)
    assert isinstance(again, TwoFactorChallenge)
    with pytest.raises(TwoFactorCodeInvalid):
        await second_step(container, again.challenge_token, code=code)
    # the confirming code and older steps stay refused too; the challenge survives a wrong code
    with pytest.raises(TwoFactorCodeInvalid):
        await second_step(container, again.challenge_token, code=totp.at(clock.now() - timedelta(seconds=30)))
    await second_step(container, again.challenge_token, code=totp.at(clock.now() + timedelta(seconds=30)))


async def test_a_challenge_expires_after_five_minutes(container: AsyncContainer, clock: ManualClock) -> None:
    totp, _, _ = await with_two_factor(container, clock)
    challenge = await log_in(container)
    assert isinstance(challenge, TwoFactorChallenge)
    clock.advance(timedelta(minutes=5))
    with pytest.raises(TwoFactorChallengeInvalid):
        await second_step(container, challenge.challenge_token, code=totp.at(clock.now()))
    with pytest.raises(TwoFactorChallengeInvalid):
        await second_step(container, "made-up", code=totp.at(clock.now()))


async def test_recovery_codes_work_once_each_in_any_typing(container: AsyncContainer, clock: ManualClock) -> None:
    _, codes, _ = await with_two_factor(container, clock)
    challenge = await log_in(container)
    assert isinstance(challenge, TwoFactorChallenge)
    await second_step(container, challenge.challenge_token, recovery_code=f"  {codes[0].upper()} ")
    challenge = await log_in(container)
    assert isinstance(challenge, TwoFactorChallenge)
    with pytest.raises(TwoFactorCodeInvalid):
        await second_step(container, challenge.challenge_token, recovery_code=codes[0])
    await second_step(container, challenge.challenge_token, recovery_code=codes[1].replace("-", ""))


async def test_turning_off_needs_a_fresh_code_then_the_password_is_enough(
    container: AsyncContainer, clock: ManualClock
) -> None:
    totp, _, principal = await with_two_factor(container, clock)
    async with container() as scope:
        with pytest.raises(TwoFactorCodeInvalid):  # the code that turned it on
            await (await scope.get(DisableTwoFactorHandler))(principal, DisableTwoFactor(totp.at(clock.now())))
    clock.advance(timedelta(seconds=30))
    async with container() as scope:
        await (await scope.get(DisableTwoFactorHandler))(principal, DisableTwoFactor(totp.at(clock.now())))
    assert isinstance(await log_in(container), TokenPair)
    async with container() as scope:
        assert await (await scope.get(TwoFactorRepository)).get(principal.user_id) is None


async def test_failed_passwords_slow_the_account_down_then_the_window_slides(
    container: AsyncContainer, clock: ManualClock
) -> None:
    async with container() as scope:
        await (await scope.get(RegisterUserHandler))(RegisterUser("ada@example.com", PASSWORD))
    assert isinstance(await log_in(container), TokenPair)  # successes are never counted
    for _ in range(5):
        with pytest.raises(CredentialsInvalid):
            await log_in(container, "a wrong guess here")
        clock.advance(timedelta(seconds=10))
    with pytest.raises(TooManyAttempts) as throttled:
        await log_in(container)  # even the right password: the answer is no oracle
    assert throttled.value.retry_after_seconds == 300 - 50
    clock.advance(timedelta(seconds=250))
    assert isinstance(await log_in(container), TokenPair)
    audit = await container.get(InMemoryAuthAuditLog)
    outcomes = [e.outcome for e in audit.entries if e.kind is AuditKind.LOGIN]
    assert outcomes == [AuditOutcome.SUCCESS] + [AuditOutcome.FAILURE] * 5 + [
        AuditOutcome.THROTTLED,
        AuditOutcome.SUCCESS,
    ]


async def test_unknown_emails_are_throttled_like_known_ones(container: AsyncContainer) -> None:
    async with container() as scope:
        handler = await scope.get(LogInHandler)
        for _ in range(5):
            with pytest.raises(CredentialsInvalid):
                await handler(LogIn(" Nobody@Example.com", "whatever it is"))
        with pytest.raises(TooManyAttempts):
            await handler(LogIn("nobody@example.com", "whatever it is"))


async def test_wrong_second_factors_are_throttled_and_audited(container: AsyncContainer, clock: ManualClock) -> None:
    totp, _, principal = await with_two_factor(container, clock)
    challenge = await log_in(container)
    assert isinstance(challenge, TwoFactorChallenge)
    for _ in range(5):
        with pytest.raises(TwoFactorCodeInvalid):
            await second_step(container, challenge.challenge_token, code=wrong_code(totp, clock))
    with pytest.raises(TooManyAttempts):
        await second_step(container, challenge.challenge_token, code=totp.at(clock.now() + timedelta(seconds=30)))
    audit = await container.get(InMemoryAuthAuditLog)
    second_factor = [e for e in audit.entries if e.kind is AuditKind.TWO_FACTOR and e.detail != "enabled"]
    assert [e.outcome for e in second_factor] == [AuditOutcome.FAILURE] * 5 + [AuditOutcome.THROTTLED]
    assert {e.user_id for e in second_factor} == {principal.user_id}
