"""Password reset on in-memory adapters: the link's rules, and what a reset does to the account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.application.identity.ports import PasswordHasher, SessionRepository, UserRepository
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.errors import PasswordRejected, TokenAlreadyUsed, TokenExpired, TokenSuperseded
from tests.unit.identity.reset_steps import (
    NEW,
    OLD,
    confirm,
    mailed_reset_token,
    password_ok,
    register,
    start_session,
)


async def test_a_reset_sets_the_password_revokes_every_session_and_works_once(
    memory_container: AsyncContainer, mailer: InMemoryMailer, clock: ManualClock
) -> None:
    user_id = await register(memory_container)
    sessions = [await start_session(memory_container, user_id, clock) for _ in range(3)]
    token = await mailed_reset_token(memory_container, mailer)
    assert mailer.sent[-1].subject == "Reset your Dev Forge password"
    assert f"http://127.0.0.1:8000/reset-password#token={token}" in mailer.sent[-1].text

    await confirm(memory_container, token)
    assert await password_ok(memory_container, NEW) and not await password_ok(memory_container, OLD)
    async with memory_container() as scope:
        ended = await (await scope.get(SessionRepository)).list_for_user(user_id)
    assert sorted(s.id for s in ended) == sorted(sessions)
    assert all(s.revoked_at == clock.now() and s.revoke_reason == "password_reset" for s in ended)
    with pytest.raises(TokenAlreadyUsed):
        await confirm(memory_container, token, "yet another passphrase 7")
    assert await password_ok(memory_container, NEW)


async def test_a_reset_link_dies_after_one_hour(
    memory_container: AsyncContainer, mailer: InMemoryMailer, clock: ManualClock
) -> None:
    await register(memory_container)
    token = await mailed_reset_token(memory_container, mailer)
    clock.advance(timedelta(hours=1))
    with pytest.raises(TokenExpired):
        await confirm(memory_container, token)
    assert await password_ok(memory_container, OLD)


async def test_a_reset_link_dies_once_the_password_changed_after_it_was_sent(
    memory_container: AsyncContainer, mailer: InMemoryMailer, clock: ManualClock
) -> None:
    await register(memory_container)
    token = await mailed_reset_token(memory_container, mailer)
    clock.advance(timedelta(minutes=1))
    async with memory_container() as scope:  # the owner changes the password another way
        users = await scope.get(UserRepository)
        user = await users.get_by_email(EmailAddress("ada@example.com"))
        assert user is not None
        user.change_password(await (await scope.get(PasswordHasher)).hash("changed elsewhere 99"), clock.now())
        await users.update(user)
        await (await scope.get(InMemoryUnitOfWork)).commit()
    clock.advance(timedelta(minutes=1))
    with pytest.raises(TokenSuperseded):
        await confirm(memory_container, token)
    assert not await password_ok(memory_container, NEW)


async def test_a_newer_link_supersedes_the_older(
    memory_container: AsyncContainer, mailer: InMemoryMailer, clock: ManualClock
) -> None:
    await register(memory_container)
    first = await mailed_reset_token(memory_container, mailer)
    clock.advance(timedelta(minutes=1))
    second = await mailed_reset_token(memory_container, mailer)
    with pytest.raises(TokenSuperseded):
        await confirm(memory_container, first)
    await confirm(memory_container, second)


async def test_a_rejected_new_password_names_the_field_and_leaves_the_link_usable(
    memory_container: AsyncContainer, mailer: InMemoryMailer
) -> None:
    await register(memory_container)
    token = await mailed_reset_token(memory_container, mailer)
    with pytest.raises(PasswordRejected) as rejected:
        await confirm(memory_container, token, "short")
    assert rejected.value.field == "newPassword"
    await confirm(memory_container, token)


async def test_a_reset_keeps_two_factor_and_starts_no_session(
    memory_container: AsyncContainer, mailer: InMemoryMailer
) -> None:
    user_id = await register(memory_container)
    async with memory_container() as scope:
        users = await scope.get(UserRepository)
        user = await users.get(user_id)
        assert user is not None
        user.set_two_factor(enabled=True)
        await users.update(user)
        await (await scope.get(InMemoryUnitOfWork)).commit()
    await confirm(memory_container, await mailed_reset_token(memory_container, mailer))
    async with memory_container() as scope:
        after = await (await scope.get(UserRepository)).get(user_id)
        assert after is not None and after.two_factor_enabled
        assert await (await scope.get(SessionRepository)).list_for_user(user_id) == []
