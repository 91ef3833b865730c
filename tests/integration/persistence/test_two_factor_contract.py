"""One contract for the two-factor repository and the authentication audit log, run on memory,
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.auth_audit import AuditKind, AuditOutcome, AuthAuditEntry, AuthAuditLog
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.two_factor_ports import TwoFactorRepository
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.authentication import SqlaAuthenticationProvider
from devforge.bootstrap.providers.identity import SqlaIdentityProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.errors import TwoFactorChangedConcurrently
from devforge.domain.identity.roles import Role
from devforge.domain.identity.two_factor import TwoFactor
from devforge.domain.identity.user import User
from tests.conftest import settings_for_tests
from tests.integration.backends import BACKENDS, postgres_database, sqlite_database

NOW = datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
DIGESTS = [f"{n:064d}" for n in range(10)]


@asynccontextmanager
async def authentication_container(backend: str, folder: Path) -> AsyncIterator[AsyncContainer]:
    if backend == "memory":
        container = make_container(settings_for_tests(), base=memory_providers())
        yield container
        await container.close()
        return
    database = postgres_database() if backend == "postgres" else sqlite_database(folder)
    async with database as url:
        container = make_container(
            settings_for_tests(database_url=url),
            SqlaPersistenceProvider(),
            SqlaIdentityProvider(),
            SqlaAuthenticationProvider(),
            base=memory_providers(),
        )
        try:
            yield container
        finally:
            await container.close()


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with authentication_container(request.param, tmp_path) as built:
        yield built


async def enrolled(container: AsyncContainer) -> TwoFactor:
    user = User(
        id=uuid4(),
        email=EmailAddress(f"{uuid4().hex[:8]}@example.com"),
        password_hash="h",
        role=Role.CUSTOMER,
        created_at=NOW,
    )
    two_factor = TwoFactor.enroll(user_id=user.id, sealed_secret="v1.sealed", now=NOW)
    async with container() as scope:
        await (await scope.get(UserRepository)).add(user)
        await (await scope.get(TwoFactorRepository)).add(two_factor)
        await (await scope.get(UnitOfWork)).commit()
    return two_factor


async def test_an_enrolment_round_trips_with_its_recovery_codes(container: AsyncContainer) -> None:
    pending = await enrolled(container)
    async with container() as scope:
        two_factors = await scope.get(TwoFactorRepository)
        loaded = await two_factors.get(pending.user_id, for_update=True)
        assert loaded is not None and not loaded.enabled and loaded.recovery_codes == []
        loaded.confirm(step=7, recovery_digests=DIGESTS, now=NOW)
        loaded.use_recovery_code(DIGESTS[2], NOW + timedelta(minutes=1))
        await two_factors.update(loaded)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        stored = await (await scope.get(TwoFactorRepository)).get(pending.user_id)
    assert stored is not None
    assert (stored.sealed_secret, stored.enrolled_at, stored.confirmed_at, stored.last_used_step) == (
        "v1.sealed",
        NOW,
        NOW,
        7,
    )
    used = {code.digest: code.used_at for code in stored.recovery_codes}
    assert sorted(used) == DIGESTS
    assert used[DIGESTS[2]] == NOW + timedelta(minutes=1)
    assert sum(1 for at in used.values() if at is None) == 9
    async with container() as scope:
        assert await (await scope.get(TwoFactorRepository)).get(uuid4()) is None


async def test_a_record_changed_meanwhile_is_not_overwritten(container: AsyncContainer) -> None:
    pending = await enrolled(container)
    async with container() as scope:
        first = await (await scope.get(TwoFactorRepository)).get(pending.user_id)
    async with container() as scope:
        second = await (await scope.get(TwoFactorRepository)).get(pending.user_id)
    assert first is not None and second is not None
    first.reenroll(sealed_secret="v1.first", now=NOW)
    second.reenroll(sealed_secret="v1.second", now=NOW)
    async with container() as scope:
        await (await scope.get(TwoFactorRepository)).update(first)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        with pytest.raises(TwoFactorChangedConcurrently):
            await (await scope.get(TwoFactorRepository)).update(second)
    async with container() as scope:
        stored = await (await scope.get(TwoFactorRepository)).get(pending.user_id)
        assert stored is not None and stored.sealed_secret == "v1.first"
        with pytest.raises(TwoFactorChangedConcurrently):  # one record per user
            await (await scope.get(TwoFactorRepository)).add(
                TwoFactor.enroll(user_id=pending.user_id, sealed_secret="v1.x", now=NOW)
            )


async def test_removing_deletes_the_record_and_uncommitted_work_is_discarded(container: AsyncContainer) -> None:
    pending = await enrolled(container)
    async with container() as scope:  # no commit: kept nothing
        await (await scope.get(TwoFactorRepository)).remove(pending.user_id)
    async with container() as scope:
        two_factors = await scope.get(TwoFactorRepository)
        assert await two_factors.get(pending.user_id) is not None
        await two_factors.remove(pending.user_id)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        assert await (await scope.get(TwoFactorRepository)).get(pending.user_id) is None


def entry(minutes: int, user_id: object = None, outcome: AuditOutcome = AuditOutcome.FAILURE) -> AuthAuditEntry:
    return AuthAuditEntry(
        id=uuid4(),
        at=NOW + timedelta(minutes=minutes),
        kind=AuditKind.LOGIN,
        outcome=outcome,
        user_id=user_id,  # type: ignore[arg-type]
        email_digest="e" * 64,
        ip="192.0.2.7",
        user_agent="curl/8",
        detail="credentials_invalid",
    )


async def test_audit_entries_stay_when_the_request_rolls_back(container: AsyncContainer) -> None:
    ada, bob = uuid4(), uuid4()
    async with container() as scope:  # the use case's transaction never commits
        log = await scope.get(AuthAuditLog)
        for recorded in (entry(0, ada), entry(1, None), entry(2, bob), entry(3, ada, AuditOutcome.SUCCESS)):
            await log.record(recorded)
        await (await scope.get(UnitOfWork)).rollback()
    async with container() as scope:  # another request reads them
        log = await scope.get(AuthAuditLog)
        everything = await log.list()
        assert [e.at for e in everything] == [NOW + timedelta(minutes=m) for m in (3, 2, 1, 0)]
        newest = everything[0]
        assert (newest.kind, newest.outcome, newest.user_id, newest.ip, newest.user_agent) == (
            AuditKind.LOGIN,
            AuditOutcome.SUCCESS,
            ada,
            "192.0.2.7",
            "curl/8",
        )
        assert [e.outcome for e in await log.list(user_id=ada)] == [AuditOutcome.SUCCESS, AuditOutcome.FAILURE]
        assert len(await log.list(limit=2)) == 2
        assert await log.list(user_id=uuid4()) == []
