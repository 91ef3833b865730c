"""The sign-up / sign-in / refresh / sign-out use cases on in-memory adapters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.application.identity.authenticate import Authenticate
from devforge.application.identity.get_current_user import GetCurrentUser
from devforge.application.identity.log_in import LogIn, LogInHandler
from devforge.application.identity.log_out import LogOutHandler
from devforge.application.identity.ports import PasswordHasher, UserRepository
from devforge.application.identity.refresh_session import RefreshSession, RefreshSessionHandler
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.application.identity.views import TokenPair, UserView
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.errors import (
    CredentialsInvalid,
    EmailAlreadyRegistered,
    PasswordRejected,
    RefreshTokenReused,
    RoleNotSelfAssignable,
    SessionInvalid,
)
from devforge.domain.identity.roles import Role

PASSWORD = "correct horse battery staple"


async def register(container: AsyncContainer, email: str = "Ada@Example.com", **kw: object) -> UserView:
    async with container() as scope:
        handler = await scope.get(RegisterUserHandler)
        return await handler(RegisterUser(email, kw.pop("password", PASSWORD), **kw))  # type: ignore[arg-type]


async def log_in(container: AsyncContainer, email: str = "ada@example.com", password: str = PASSWORD) -> TokenPair:
    async with container() as scope:
        return await (await scope.get(LogInHandler))(LogIn(email, password, ip="192.0.2.1", device="test"))


async def refresh(container: AsyncContainer, token: str) -> TokenPair:
    async with container() as scope:
        return await (await scope.get(RefreshSessionHandler))(RefreshSession(token))


async def who_am_i(container: AsyncContainer, access_token: str) -> UserView:
    async with container() as scope:
        principal = await (await scope.get(Authenticate))(access_token)
        return await (await scope.get(GetCurrentUser))(principal)


async def test_a_registered_user_signs_in_and_is_recognised(memory_container: AsyncContainer) -> None:
    user = await register(memory_container)
    tokens = await log_in(memory_container, "  ADA@example.com ")
    me = await who_am_i(memory_container, tokens.access_token)
    assert (me.id, me.email, me.role) == (user.id, "ada@example.com", "customer")


async def test_one_email_one_account(memory_container: AsyncContainer) -> None:
    await register(memory_container)
    with pytest.raises(EmailAlreadyRegistered):
        await register(memory_container, "ada@EXAMPLE.com", password="another good passphrase")


async def test_nothing_is_kept_when_sign_up_is_refused(memory_container: AsyncContainer) -> None:
    with pytest.raises(PasswordRejected):
        await register(memory_container, password="password1")
    with pytest.raises(RoleNotSelfAssignable):
        await register(memory_container, role=Role.ADMIN)
    async with memory_container() as scope:
        assert await (await scope.get(UserRepository)).get_by_email(EmailAddress("ada@example.com")) is None


async def test_unknown_email_and_wrong_password_get_the_same_answer(memory_container: AsyncContainer) -> None:
    await register(memory_container)
    with pytest.raises(CredentialsInvalid) as wrong_password:
        await log_in(memory_container, password="not the password at all")
    with pytest.raises(CredentialsInvalid) as unknown:
        await log_in(memory_container, email="bob@example.com")
    with pytest.raises(CredentialsInvalid) as malformed:
        await log_in(memory_container, email="not-an-email")
    assert wrong_password.value.message == unknown.value.message == malformed.value.message


async def test_a_weaker_hash_is_replaced_on_sign_in(memory_container: AsyncContainer) -> None:
    await register(memory_container)
    hasher = await memory_container.get(PasswordHasher)
    hasher.version = 2  # type: ignore[attr-defined]  # the parameters were strengthened
    await log_in(memory_container)
    async with memory_container() as scope:
        stored = await (await scope.get(UserRepository)).get_by_email(EmailAddress("ada@example.com"))
    assert stored is not None and not hasher.needs_rehash(stored.password_hash)


async def test_a_refresh_token_used_twice_revokes_the_whole_family(memory_container: AsyncContainer) -> None:
    await register(memory_container)
    first = await log_in(memory_container)
    second = await refresh(memory_container, first.refresh_token)
    assert second.session_id == first.session_id and second.refresh_token != first.refresh_token

    with pytest.raises(RefreshTokenReused):
        await refresh(memory_container, first.refresh_token)
    with pytest.raises(SessionInvalid):
        await refresh(memory_container, second.refresh_token)
    with pytest.raises(SessionInvalid):
        await who_am_i(memory_container, second.access_token)


async def test_sign_out_ends_the_session_at_once(memory_container: AsyncContainer) -> None:
    await register(memory_container)
    tokens = await log_in(memory_container)
    async with memory_container() as scope:
        principal = await (await scope.get(Authenticate))(tokens.access_token)
        await (await scope.get(LogOutHandler))(principal)
    with pytest.raises(SessionInvalid):
        await who_am_i(memory_container, tokens.access_token)
    with pytest.raises(SessionInvalid):
        await refresh(memory_container, tokens.refresh_token)


async def test_sessions_end_at_their_absolute_expiry(memory_container: AsyncContainer, clock: ManualClock) -> None:
    await register(memory_container)
    tokens = await log_in(memory_container)
    clock.advance(timedelta(days=29, hours=23))
    tokens = await refresh(memory_container, tokens.refresh_token)
    clock.advance(timedelta(hours=1))
    with pytest.raises(SessionInvalid):
        await refresh(memory_container, tokens.refresh_token)
