"""ApiKeyRepository and UserRepository.list: one contract on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.api_key_secrets import ApiKeySecrets
from devforge.application.identity.ports import ApiKeyRepository, UserRepository
from devforge.bootstrap.permissions import ROLE_TABLE
from devforge.domain.identity.api_key import ApiKey
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import User
from tests.integration.backends import BACKENDS, backend_container

NOW = datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
SECRETS = ApiKeySecrets(b"contract")


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


async def saved_users(container: AsyncContainer, *roles: Role) -> list[User]:
    users = [
        User(
            id=uuid4(),
            email=EmailAddress(f"user{i}@example.com"),
            password_hash="h",
            role=role,
            created_at=NOW + timedelta(seconds=i),
        )
        for i, role in enumerate(roles)
    ]
    async with container() as scope:
        repository = await scope.get(UserRepository)
        for user in users:
            await repository.add(user)
        await (await scope.get(UnitOfWork)).commit()
    return users


def a_key(owner_id: UUID, *, at: datetime = NOW) -> tuple[ApiKey, str]:
    secret = SECRETS.new()
    key = ApiKey.issue(
        key_id=uuid4(),
        owner_id=owner_id,
        name="CI",
        secret=secret,
        digest=SECRETS.digest(secret),
        scopes=["extensions:publish", "users:read_self"],
        held=ROLE_TABLE.permissions_of(Role.DEVELOPER),
        known=ROLE_TABLE.names,
        lifetime_days=30,
        now=at,
    )
    return key, secret


async def test_users_are_listed_oldest_first_a_page_at_a_time_and_by_role(container: AsyncContainer) -> None:
    roles = [Role.CUSTOMER, Role.DEVELOPER, Role.CUSTOMER, Role.ADMIN, Role.CUSTOMER]
    users = await saved_users(container, *roles)
    async with container() as scope:
        repository = await scope.get(UserRepository)
        everyone = await repository.list(limit=10, offset=0)
        page = await repository.list(limit=2, offset=1)
        customers = await repository.list(limit=10, offset=0, role=Role.CUSTOMER)
        second_customer_page = await repository.list(limit=2, offset=2, role=Role.CUSTOMER)
        past_the_end = await repository.list(limit=10, offset=5)
    assert [u.id for u in everyone] == [u.id for u in users]
    assert [u.id for u in page] == [users[1].id, users[2].id]
    assert [u.id for u in customers] == [users[0].id, users[2].id, users[4].id]
    assert [u.id for u in second_customer_page] == [users[4].id]
    assert past_the_end == []
    assert everyone[3].role is Role.ADMIN and everyone[3].created_at == NOW + timedelta(seconds=3)


async def test_api_keys_round_trip_by_id_and_digest_and_never_hold_the_secret(container: AsyncContainer) -> None:
    (owner,) = await saved_users(container, Role.DEVELOPER)
    key, secret = a_key(owner.id)
    async with container() as scope:
        await (await scope.get(ApiKeyRepository)).add(key)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        keys = await scope.get(ApiKeyRepository)
        by_id = await keys.get(key.id)
        by_digest = await keys.get_by_digest(SECRETS.digest(secret))
        assert await keys.get(uuid4()) is None
        assert await keys.get_by_digest(SECRETS.digest(SECRETS.new())) is None
    assert by_id is not None and by_digest is not None and by_digest.id == key.id
    assert (by_id.owner_id, by_id.name, by_id.prefix, by_id.digest) == (owner.id, "CI", secret[:12], key.digest)
    assert by_id.scopes == {"extensions:publish", "users:read_self"}
    assert (by_id.created_at, by_id.expires_at, by_id.last_used_at, by_id.revoked_at) == (
        NOW,
        NOW + timedelta(days=30),
        None,
        None,
    )


async def test_api_key_changes_persist_and_each_owner_lists_only_theirs_newest_first(
    container: AsyncContainer,
) -> None:
    owner, other = await saved_users(container, Role.DEVELOPER, Role.DEVELOPER)
    older, _ = a_key(owner.id)
    newer, _ = a_key(owner.id, at=NOW + timedelta(hours=1))
    theirs, _ = a_key(other.id)
    async with container() as scope:
        keys = await scope.get(ApiKeyRepository)
        for key in (older, newer, theirs):
            await keys.add(key)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        keys = await scope.get(ApiKeyRepository)
        stored = await keys.get(older.id, for_update=True)
        assert stored is not None
        stored.mark_used(NOW + timedelta(minutes=3))
        stored.revoke(NOW + timedelta(minutes=4))
        await keys.update(stored)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        keys = await scope.get(ApiKeyRepository)
        listed = await keys.list_for_owner(owner.id)
        uncommitted = await keys.get(newer.id)
        assert uncommitted is not None
        uncommitted.revoke(NOW)
        await keys.update(uncommitted)  # never committed: discarded with the scope
    assert [k.id for k in listed] == [newer.id, older.id]
    assert (listed[1].last_used_at, listed[1].revoked_at) == (NOW + timedelta(minutes=3), NOW + timedelta(minutes=4))
    async with container() as scope:
        again = await (await scope.get(ApiKeyRepository)).get(newer.id)
    assert again is not None and again.revoked_at is None


async def test_a_recorded_use_never_undoes_a_revocation(container: AsyncContainer) -> None:
    [owner] = await saved_users(container, Role.DEVELOPER)
    used, _ = a_key(owner.id)
    revoked, _ = a_key(owner.id)
    async with container() as scope:
        keys = await scope.get(ApiKeyRepository)
        await keys.add(used)
        await keys.add(revoked)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        keys = await scope.get(ApiKeyRepository)
        stale = await keys.get(revoked.id)  # read by an authentication still in flight
        fresh = await keys.get(revoked.id, for_update=True)
        assert stale is not None and fresh is not None
        fresh.revoke(NOW + timedelta(seconds=1))
        await keys.update(fresh)
        await keys.record_use(stale.id, NOW + timedelta(seconds=2))
        await keys.record_use(used.id, NOW + timedelta(seconds=2))
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        keys = await scope.get(ApiKeyRepository)
        after_revoked, after_used = await keys.get(revoked.id), await keys.get(used.id)
    assert after_revoked is not None and after_revoked.revoked_at == NOW + timedelta(seconds=1)
    assert after_revoked.last_used_at is None
    assert after_used is not None and after_used.last_used_at == NOW + timedelta(seconds=2)


async def test_replacing_a_password_hash_writes_nothing_else(container: AsyncContainer) -> None:
    [user] = await saved_users(container, Role.CUSTOMER)
    async with container() as scope:
        users = await scope.get(UserRepository)
        disabled = await users.get(user.id, for_update=True)
        assert disabled is not None
        disabled.disable(NOW)
        await users.update(disabled)
        await users.replace_password_hash(user.id, "stronger-hash")
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        stored = await (await scope.get(UserRepository)).get(user.id)
    assert stored is not None
    assert (stored.password_hash, stored.status.value) == ("stronger-hash", "disabled")
