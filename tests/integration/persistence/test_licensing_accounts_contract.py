"""Licensing's ``AccountDirectory`` (served by identity's published ``AccountLookup``) answers the
same on memory, SQLite and PostgreSQL: an account exists, enabled or disabled; an unknown id does not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.ports import UserRepository
from devforge.application.licensing.ports import AccountDirectory
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import User
from tests.integration.backends import BACKENDS, backend_container

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


async def test_an_account_exists_enabled_or_disabled_and_an_unknown_id_does_not(container: AsyncContainer) -> None:
    enabled = User(
        id=uuid4(), email=EmailAddress("ada@example.com"), password_hash="x", role=Role.CUSTOMER, created_at=NOW
    )
    disabled = User(
        id=uuid4(), email=EmailAddress("bob@example.com"), password_hash="x", role=Role.CUSTOMER, created_at=NOW
    )
    disabled.disable(NOW)
    async with container() as scope:
        users = await scope.get(UserRepository)
        await users.add(enabled)
        await users.add(disabled)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        accounts = await scope.get(AccountDirectory)
        assert await accounts.exists(enabled.id) and await accounts.exists(disabled.id)
        assert not await accounts.exists(uuid4())
