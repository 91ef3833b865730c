"""The ``SignedInReader`` on the common read path: memory, SQLite and PostgreSQL answer alike,
with committed data only and no unit of work of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.ports import SessionRepository, SignedInReader, UserRepository
from devforge.application.identity.signed_in_state import AccountState, SessionState
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import UserStatus
from tests.integration.backends import BACKENDS, backend_container
from tests.integration.persistence.test_persistence_contract import NOW, a_session, a_user, saved_user


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


async def test_a_session_is_read_with_its_account_in_one_call(container: AsyncContainer) -> None:
    user = await saved_user(container, a_user())
    session = a_session(user)
    async with container() as scope:
        await (await scope.get(SessionRepository)).add(session)
        await (await scope.get(UnitOfWork)).commit()
    reader = await container.get(SignedInReader)
    account = AccountState(user.id, "ada@example.com", Role.DEVELOPER, UserStatus.ACTIVE, False, NOW, False)
    assert await reader.session(session.id) == (SessionState(session.id, user.id, session.expires_at, None), account)
    assert await reader.account(user.id) == account
    assert await reader.session(uuid4()) is None
    assert await reader.account(uuid4()) is None


async def test_the_reader_sees_committed_changes_and_nothing_uncommitted(container: AsyncContainer) -> None:
    user = await saved_user(container, a_user())
    session = a_session(user)
    async with container() as scope:
        await (await scope.get(SessionRepository)).add(session)
        await (await scope.get(UnitOfWork)).commit()
    reader = await container.get(SignedInReader)
    async with container() as scope:
        stored = await (await scope.get(UserRepository)).get(user.id, for_update=True)
        assert stored is not None
        stored.change_role(Role.ADMIN, NOW)
        await (await scope.get(UserRepository)).update(stored)
        await (await scope.get(UnitOfWork)).rollback()
    assert (await reader.account(user.id)).role is Role.DEVELOPER  # type: ignore[union-attr]
    async with container() as scope:
        sessions = await scope.get(SessionRepository)
        ended = await sessions.get(session.id, for_update=True)
        assert ended is not None
        ended.revoke(now=NOW, reason="logout")
        await sessions.update(ended)
        await (await scope.get(UnitOfWork)).commit()
    found = await reader.session(session.id)
    assert found is not None and found[0].revoked_at == NOW and not found[0].is_active(NOW)
