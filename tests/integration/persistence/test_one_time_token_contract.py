"""The OneTimeTokenRepository contract, run on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.ports import OneTimeTokenRepository, UserRepository
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.errors import TokenAlreadyUsed
from devforge.domain.identity.one_time_token import OneTimeToken, TokenPurpose
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import User
from tests.integration.backends import BACKENDS, backend_container

NOW = datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
VERIFY, RESET = TokenPurpose.VERIFY_EMAIL, TokenPurpose.RESET_PASSWORD


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


async def a_user(container: AsyncContainer, email: str = "ada@example.com") -> User:
    user = User(id=uuid4(), email=EmailAddress(email), password_hash="h", role=Role.CUSTOMER, created_at=NOW)
    async with container() as scope:
        await (await scope.get(UserRepository)).add(user)
        await (await scope.get(UnitOfWork)).commit()
    return user


def a_token(user: User, purpose: TokenPurpose = RESET, digest: str | None = None, at: datetime = NOW) -> OneTimeToken:
    return OneTimeToken.issue(
        token_id=uuid4(), user_id=user.id, purpose=purpose, digest=digest or uuid4().hex * 2, issued_at=at
    )


async def saved(container: AsyncContainer, *tokens: OneTimeToken) -> None:
    async with container() as scope:
        repository = await scope.get(OneTimeTokenRepository)
        for token in tokens:
            await repository.add(token)
        await (await scope.get(UnitOfWork)).commit()


async def test_a_token_round_trips_by_its_digest(container: AsyncContainer) -> None:
    user = await a_user(container)
    token = a_token(user, VERIFY, digest="ab" * 32)
    await saved(container, token)
    async with container() as scope:
        repository = await scope.get(OneTimeTokenRepository)
        found = await repository.get_by_digest("ab" * 32, for_update=True)
        assert await repository.get_by_digest("cd" * 32) is None
    assert found is not None
    assert vars(found) == vars(token)
    assert found.issued_at.tzinfo is not None and found.expires_at == NOW + timedelta(hours=24)


async def test_only_live_tokens_of_the_user_and_purpose_are_listed_oldest_first(container: AsyncContainer) -> None:
    ada, bob = await a_user(container), await a_user(container, "bob@example.com")
    newer, older = a_token(ada, at=NOW + timedelta(minutes=2)), a_token(ada, at=NOW)
    used, superseded = a_token(ada), a_token(ada)
    used.redeem(purpose=RESET, now=NOW)
    superseded.supersede(NOW)
    expired = a_token(ada, at=NOW - timedelta(hours=2))
    await saved(container, newer, older, used, superseded, expired, a_token(ada, VERIFY), a_token(bob))
    async with container() as scope:
        live = await (await scope.get(OneTimeTokenRepository)).list_live_for_user(ada.id, RESET, NOW)
    assert [token.id for token in live] == [older.id, newer.id]


async def test_ending_a_token_persists_and_a_second_ending_is_refused(container: AsyncContainer) -> None:
    user = await a_user(container)
    token = a_token(user)
    await saved(container, token)
    async with container() as first, container() as second:
        mine = await (await first.get(OneTimeTokenRepository)).get_by_digest(token.digest)
        theirs = await (await second.get(OneTimeTokenRepository)).get_by_digest(token.digest)
        assert mine is not None and theirs is not None
        mine.redeem(purpose=RESET, now=NOW)
        await (await first.get(OneTimeTokenRepository)).update(mine)
        await (await first.get(UnitOfWork)).commit()
        theirs.redeem(purpose=RESET, now=NOW)  # a racing click, read before the first committed
        with pytest.raises(TokenAlreadyUsed):
            await (await second.get(OneTimeTokenRepository)).update(theirs)
    async with container() as scope:
        stored = await (await scope.get(OneTimeTokenRepository)).get_by_digest(token.digest)
    assert stored is not None and stored.used_at == NOW


async def test_uncommitted_tokens_are_discarded(container: AsyncContainer) -> None:
    user = await a_user(container)
    token = a_token(user)
    async with container() as scope:
        await (await scope.get(OneTimeTokenRepository)).add(token)
    async with container() as scope:
        assert await (await scope.get(OneTimeTokenRepository)).get_by_digest(token.digest) is None
