"""The ``IdentityReader`` on the common read path (accounts, sessions and API keys for identity's
pages and API-key sign-in): memory, SQLite and PostgreSQL answer alike, with committed data only
and no unit of work of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.ports import ApiKeyRepository, IdentityReader, SessionRepository, UserRepository
from devforge.domain.identity.roles import Role
from devforge.domain.identity.session import Session
from tests.integration.backends import BACKENDS, backend_container
from tests.integration.persistence.test_access_contract import NOW, a_key, saved_users


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


def a_session(user_id: object, minutes: int) -> Session:
    return Session.start(
        session_id=uuid4(), user_id=user_id, token_digest=f"{minutes:064d}", now=NOW + timedelta(minutes=minutes),
        lifetime=timedelta(days=30), ip="192.0.2.7", device="curl/8",
    )  # fmt: skip


async def test_accounts_are_read_one_at_a_time_and_a_page_at_a_time_by_role(container: AsyncContainer) -> None:
    ada, bob, eve = await saved_users(container, Role.DEVELOPER, Role.ADMIN, Role.DEVELOPER)
    reader = await container.get(IdentityReader)
    found = await reader.user(bob.id)
    assert found is not None and (found.id, found.email, found.role, found.created_at) == (
        bob.id, bob.email, Role.ADMIN, bob.created_at,
    )  # fmt: skip
    assert await reader.user(uuid4()) is None
    assert [u.id for u in await reader.users(limit=10, offset=0)] == [ada.id, bob.id, eve.id]
    assert [u.id for u in await reader.users(limit=1, offset=1)] == [bob.id]
    assert [u.id for u in await reader.users(limit=10, offset=0, role=Role.DEVELOPER)] == [ada.id, eve.id]
    assert [u.id for u in await reader.users(limit=10, offset=1, role=Role.DEVELOPER)] == [eve.id]


async def test_an_accounts_sessions_come_oldest_first(container: AsyncContainer) -> None:
    (ada,) = await saved_users(container, Role.DEVELOPER)
    later, earlier = a_session(ada.id, 5), a_session(ada.id, 1)
    async with container() as scope:
        for session in (later, earlier):
            await (await scope.get(SessionRepository)).add(session)
        await (await scope.get(UnitOfWork)).commit()
    listed = await (await container.get(IdentityReader)).sessions_of(ada.id)
    assert [(s.id, s.created_at, s.ip, s.device, s.revoked_at) for s in listed] == [
        (earlier.id, earlier.created_at, "192.0.2.7", "curl/8", None),
        (later.id, later.created_at, "192.0.2.7", "curl/8", None),
    ]
    assert await (await container.get(IdentityReader)).sessions_of(uuid4()) == []


async def test_api_keys_are_read_newest_first_and_by_digest(container: AsyncContainer) -> None:
    ada, bob = await saved_users(container, Role.DEVELOPER, Role.DEVELOPER)
    (old, _), (new, _), (theirs, _) = a_key(ada.id), a_key(ada.id, at=NOW + timedelta(hours=1)), a_key(bob.id)
    async with container() as scope:
        for key in (old, new, theirs):
            await (await scope.get(ApiKeyRepository)).add(key)
        await (await scope.get(UnitOfWork)).commit()
    reader = await container.get(IdentityReader)
    assert [k.id for k in await reader.api_keys_of(ada.id)] == [new.id, old.id]
    found = await reader.api_key_by_digest(old.digest)
    assert found is not None and (found.id, found.owner_id, found.scopes, found.expires_at, found.revoked_at) == (
        old.id, ada.id, old.scopes, old.expires_at, None,
    )  # fmt: skip
    assert await reader.api_key_by_digest("f" * 64) is None


async def test_the_identity_reader_never_sees_what_is_not_committed(container: AsyncContainer) -> None:
    (ada,) = await saved_users(container, Role.DEVELOPER)
    key, _ = a_key(ada.id)
    async with container() as scope:
        stored = await (await scope.get(UserRepository)).get(ada.id, for_update=True)
        assert stored is not None
        stored.change_role(Role.ADMIN, NOW)
        await (await scope.get(UserRepository)).update(stored)
        await (await scope.get(ApiKeyRepository)).add(key)
        await (await scope.get(SessionRepository)).add(a_session(ada.id, 1))
        await (await scope.get(UnitOfWork)).rollback()
    reader = await container.get(IdentityReader)
    assert (await reader.user(ada.id)).role is Role.DEVELOPER  # type: ignore[union-attr]
    assert await reader.api_keys_of(ada.id) == [] and await reader.api_key_by_digest(key.digest) is None
    assert await reader.sessions_of(ada.id) == []
