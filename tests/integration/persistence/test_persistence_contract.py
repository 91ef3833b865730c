"""One contract for the persistence ports, run on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.memory.outbox import InMemoryOutbox
from devforge.application.common.deliveries import Delivery, DeliveryLedger, DeliveryStatus
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mail_outbox import MailOutbox, QueuedMail
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.ports import SessionRepository, UserRepository
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.errors import EmailAlreadyRegistered, SessionChangedConcurrently
from devforge.domain.identity.roles import Role
from devforge.domain.identity.session import Session
from devforge.domain.identity.user import User, UserStatus
from tests.integration.backends import BACKENDS, backend_container

NOW = datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


def a_user(email: str = "ada@example.com") -> User:
    return User(id=uuid4(), email=EmailAddress(email), password_hash="h", role=Role.DEVELOPER, created_at=NOW)


def a_session(user: User, digest: str = "d0") -> Session:
    return Session.start(
        session_id=uuid4(),
        user_id=user.id,
        token_digest=digest,
        now=NOW,
        lifetime=timedelta(days=30),
        ip="::1",
        device="ua",
    )


async def saved_user(container: AsyncContainer, user: User) -> User:
    async with container() as scope:
        await (await scope.get(UserRepository)).add(user)
        await (await scope.get(UnitOfWork)).commit()
    return user


async def test_users_round_trip_with_their_email_unique(container: AsyncContainer) -> None:
    user = await saved_user(container, a_user())
    async with container() as scope:
        users = await scope.get(UserRepository)
        by_id = await users.get(user.id)
        by_email = await users.get_by_email(EmailAddress("ada@example.com"))
        assert by_id is not None and by_email is not None
        assert (by_id.id, by_id.email, by_id.role, by_id.created_at, by_id.status) == (
            user.id,
            user.email,
            Role.DEVELOPER,
            NOW,
            UserStatus.ACTIVE,
        )
        assert by_email.id == user.id
        assert await users.get(uuid4()) is None
    with pytest.raises(EmailAlreadyRegistered):
        await saved_user(container, a_user())


async def test_updates_persist_and_uncommitted_work_is_discarded(container: AsyncContainer) -> None:
    user = await saved_user(container, a_user())
    async with container() as scope:
        users = await scope.get(UserRepository)
        changed = await users.get(user.id, for_update=True)
        assert changed is not None
        changed.change_password_hash("new-hash")
        await users.update(changed)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:  # leaves without commit: nothing of this is kept
        await (await scope.get(UserRepository)).add(a_user("bob@example.com"))
        await (await scope.get(Outbox)).add([EventEnvelope(uuid4(), "test.happened", NOW, {"n": 1})])
    async with container() as scope:
        users = await scope.get(UserRepository)
        stored = await users.get(user.id)
        assert stored is not None and stored.password_hash == "new-hash"
        assert await users.get_by_email(EmailAddress("bob@example.com")) is None
        assert await (await scope.get(Outbox)).claim_unrelayed(10) == []


async def test_sessions_are_found_by_every_refresh_token_they_issued(container: AsyncContainer) -> None:
    user = await saved_user(container, a_user())
    session = a_session(user, "d0")
    async with container() as scope:
        await (await scope.get(SessionRepository)).add(session)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        sessions = await scope.get(SessionRepository)
        loaded = await sessions.get_by_token_digest("d0", for_update=True)
        assert loaded is not None
        loaded.rotate(presented_digest="d0", new_digest="d1", now=NOW + timedelta(minutes=1))
        await sessions.update(loaded)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        sessions = await scope.get(SessionRepository)
        old = await sessions.get_by_token_digest("d0")
        new = await sessions.get_by_token_digest("d1")
        assert old is not None and new is not None and old.id == new.id == session.id
        assert new.current_token_digest == "d1" and new.last_used_at == NOW + timedelta(minutes=1)
        assert await sessions.get_by_token_digest("never-issued") is None


async def test_a_session_changed_meanwhile_is_not_overwritten(container: AsyncContainer) -> None:
    user = await saved_user(container, a_user())
    session = a_session(user)
    async with container() as scope:
        await (await scope.get(SessionRepository)).add(session)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        sessions = await scope.get(SessionRepository)
        first = await sessions.get(session.id)
        assert first is not None
        stale = replace(first)
        first.revoke(now=NOW, reason="logout")
        await sessions.update(first)
        await (await scope.get(UnitOfWork)).commit()
        with pytest.raises(SessionChangedConcurrently):
            await sessions.update(stale)


async def test_the_outbox_hands_out_committed_events_oldest_first_until_relayed(container: AsyncContainer) -> None:
    later = EventEnvelope(uuid4(), "test.b", NOW + timedelta(seconds=1), {"user_id": "u", "n": 2}, version=2)
    earlier = EventEnvelope(uuid4(), "test.a", NOW, {"items": [1, 2], "nested": {"k": "v"}})
    async with container() as scope:
        await (await scope.get(Outbox)).add([later, earlier])
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        outbox = await scope.get(Outbox)
        assert await outbox.claim_unrelayed(10) == [earlier, later]
        assert await outbox.claim_unrelayed(1) == [earlier]
        await outbox.mark_relayed([earlier.event_id])
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        outbox = await scope.get(Outbox)
        assert await outbox.claim_unrelayed(10) == [later]
        assert await outbox.get(earlier.event_id) == earlier


async def test_an_event_stored_before_schemas_had_versions_reads_as_version_1(container: AsyncContainer) -> None:
    event = EventEnvelope(uuid4(), "test.a", NOW, {"n": 1})
    async with container() as scope:
        await (await scope.get(Outbox)).add([event])
        if not isinstance(await scope.get(Outbox), InMemoryOutbox):  # a row as the previous release wrote it
            await (await scope.get(AsyncSession)).execute(text("UPDATE outbox SET payload = '{\"n\": 1}'"))
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        assert await (await scope.get(Outbox)).get(event.event_id) == event


async def test_the_ledger_opens_each_delivery_once_and_hands_out_due_ones(container: AsyncContainer) -> None:
    event = EventEnvelope(uuid4(), "test.a", NOW, {})
    due = Delivery(event.event_id, "c1", DeliveryStatus.PENDING, 0, NOW)
    later = Delivery(event.event_id, "c2", DeliveryStatus.PENDING, 0, NOW + timedelta(minutes=5))
    lease = NOW + timedelta(seconds=5)
    async with container() as scope:
        await (await scope.get(Outbox)).add([event])
        ledger = await scope.get(DeliveryLedger)
        await ledger.open([due, later])
        await ledger.open([replace(due, attempts=3)])  # reopening changes nothing
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        ledger = await scope.get(DeliveryLedger)
        assert await ledger.claim_due(NOW, 10, lease_until=lease) == [replace(due, next_attempt_at=lease)]
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        ledger = await scope.get(DeliveryLedger)
        assert await ledger.claim_due(NOW, 10, lease_until=lease) == []  # leased: no one else takes it
        stored = await ledger.get(event.event_id, "c1", for_update=True)
        assert stored == replace(due, next_attempt_at=lease)
        stored.fail(error="boom", now=NOW, max_attempts=1, base_delay=timedelta(seconds=1))
        await ledger.save(stored)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        ledger = await scope.get(DeliveryLedger)
        later_lease = NOW + timedelta(hours=2)
        assert await ledger.claim_due(NOW + timedelta(hours=1), 10, lease_until=later_lease) == [
            replace(later, next_attempt_at=later_lease)
        ]
        [dead] = await ledger.list_by_status(DeliveryStatus.DEAD, 10)
        assert (dead.consumer, dead.attempts, dead.last_error, dead.updated_at) == ("c1", 1, "boom", NOW)
        assert await ledger.get(uuid4(), "c1") is None


async def test_the_ledger_claims_the_oldest_due_deliveries_first_and_no_more_than_asked(
    container: AsyncContainer,
) -> None:
    event = EventEnvelope(uuid4(), "test.a", NOW, {})
    opened = [
        Delivery(event.event_id, f"c{n}", DeliveryStatus.PENDING, 0, NOW - timedelta(seconds=n)) for n in range(5)
    ]
    async with container() as scope:
        await (await scope.get(Outbox)).add([event])
        await (await scope.get(DeliveryLedger)).open(opened)
        await (await scope.get(UnitOfWork)).commit()
    lease = NOW + timedelta(seconds=5)
    async with container() as scope:
        first = await (await scope.get(DeliveryLedger)).claim_due(NOW, 2, lease_until=lease)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        rest = await (await scope.get(DeliveryLedger)).claim_due(NOW, 10, lease_until=lease)
        await (await scope.get(UnitOfWork)).commit()
    assert sorted(d.consumer for d in first) == ["c3", "c4"]
    assert sorted(d.consumer for d in rest) == ["c0", "c1", "c2"]


async def test_a_claim_takes_only_the_consumers_it_names_or_all_but_those_it_skips(container: AsyncContainer) -> None:
    event = EventEnvelope(uuid4(), "test.a", NOW, {})
    async with container() as scope:
        await (await scope.get(Outbox)).add([event])
        opened = [Delivery(event.event_id, f"c{n}", DeliveryStatus.PENDING, 0, NOW) for n in range(4)]
        await (await scope.get(DeliveryLedger)).open(opened)
        await (await scope.get(UnitOfWork)).commit()
    lease = NOW + timedelta(seconds=5)
    async with container() as scope:
        batch = await (await scope.get(DeliveryLedger)).claim_due(NOW, 10, lease_until=lease, only=("c1", "c3"))
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        ledger = await scope.get(DeliveryLedger)
        others = await ledger.claim_due(NOW, 10, lease_until=lease, skipping=("c0",))
        await (await scope.get(UnitOfWork)).commit()
    assert sorted(d.consumer for d in batch) == ["c1", "c3"]
    assert [d.consumer for d in others] == ["c2"]  # c1 and c3 are leased, c0 is left out
    async with container() as scope:
        assert [d.consumer for d in await (await scope.get(DeliveryLedger)).claim_due(NOW, 10, lease_until=lease)] == [
            "c0"
        ]


async def test_a_consumers_deliveries_and_their_events_are_read_and_saved_together(container: AsyncContainer) -> None:
    events = [EventEnvelope(uuid4(), "test.a", NOW + timedelta(seconds=n), {"n": n}) for n in range(3)]
    ids = [event.event_id for event in events]
    async with container() as scope:
        await (await scope.get(Outbox)).add(events)
        opened = [Delivery(i, consumer, DeliveryStatus.PENDING, 0, NOW) for i in ids for consumer in ("c1", "c2")]
        await (await scope.get(DeliveryLedger)).open(opened)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        ledger = await scope.get(DeliveryLedger)
        locked = await ledger.get_many([*ids[:2], uuid4()], "c1", for_update=True)
        assert sorted(d.event_id for d in locked) == sorted(ids[:2]) and {d.consumer for d in locked} == {"c1"}
        for delivery in locked:
            delivery.succeed(NOW)
        await ledger.save_many(locked)
        found = await (await scope.get(Outbox)).get_many([ids[2], ids[0], uuid4()])
        assert sorted(found, key=lambda e: e.occurred_at) == [events[0], events[2]]
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        ledger = await scope.get(DeliveryLedger)
        c1 = {d.event_id: d.status for d in await ledger.get_many(ids, "c1")}
        assert c1 == {ids[0]: DeliveryStatus.DONE, ids[1]: DeliveryStatus.DONE, ids[2]: DeliveryStatus.PENDING}
        assert {d.status for d in await ledger.get_many(ids, "c2")} == {DeliveryStatus.PENDING}
        assert await ledger.get_many([], "c1") == [] and await (await scope.get(Outbox)).get_many([]) == []


async def test_a_queued_mail_round_trips_and_forgets_its_body_once_sent(container: AsyncContainer) -> None:
    mail = QueuedMail(uuid4(), "sealed-body", NOW)
    async with container() as scope:
        await (await scope.get(MailOutbox)).add(mail)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        mails = await scope.get(MailOutbox)
        stored = await mails.get(mail.mail_id)
        assert stored == mail
        stored.mark_sent(NOW + timedelta(seconds=1))
        await mails.save(stored)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        sent = await (await scope.get(MailOutbox)).get(mail.mail_id)
        assert sent == QueuedMail(mail.mail_id, None, NOW, NOW + timedelta(seconds=1))
        assert await (await scope.get(MailOutbox)).get(uuid4()) is None


async def test_a_users_sessions_are_listed_oldest_first(container: AsyncContainer) -> None:
    user = await saved_user(container, a_user())
    other = await saved_user(container, a_user("bob@example.com"))
    first, second = a_session(user, "a"), a_session(user, "b")
    second.created_at = NOW + timedelta(minutes=1)
    async with container() as scope:
        sessions = await scope.get(SessionRepository)
        for session in (second, first, a_session(other, "c")):
            await sessions.add(session)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        listed = await (await scope.get(SessionRepository)).list_for_user(user.id)
    assert [s.id for s in listed] == [first.id, second.id]
