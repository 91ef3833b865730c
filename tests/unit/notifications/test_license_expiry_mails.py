"""A license's owner is mailed once when it is about to expire and once when it has expired;
a redelivered event mails nothing twice, and a disabled account is told nothing."""

from __future__ import annotations

from datetime import timedelta

from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.ports import UserRepository
from devforge.application.licensing.announce_license_expiry import AnnounceLicenseExpiry
from tests.outbox_drain import drain
from tests.unit.licensing.use_case_steps import world

YEAR = timedelta(days=365)


async def announce_and_deliver(container: AsyncContainer) -> None:
    async with container() as scope:
        await (await scope.get(AnnounceLicenseExpiry))()
    await drain(container)


async def test_the_owner_gets_one_expiring_soon_and_one_expired_mail(
    memory_container: AsyncContainer, clock: ManualClock, mailer: InMemoryMailer
) -> None:
    w = await world(memory_container, duration=YEAR)
    clock.advance(timedelta(days=363))
    await announce_and_deliver(memory_container)
    await announce_and_deliver(memory_container)
    clock.advance(timedelta(days=3))
    await announce_and_deliver(memory_container)
    await announce_and_deliver(memory_container)
    subjects = [(m.to, m.subject) for m in mailer.sent]
    address = mailer.sent[0].to
    assert address.startswith("customer-")
    assert subjects == [
        (address, "Your Dev Forge license expires soon"),
        (address, "Your Dev Forge license has expired"),
    ]
    expiring = mailer.sent[0]
    assert str(w.issued.license.id) in expiring.text and "/api/licenses" in expiring.text
    assert expiring.html is not None and "<code>" in expiring.html


async def test_a_disabled_account_is_told_nothing(
    memory_container: AsyncContainer, clock: ManualClock, mailer: InMemoryMailer
) -> None:
    w = await world(memory_container, duration=YEAR)
    async with memory_container() as scope:
        users = await scope.get(UserRepository)
        user = await users.get(w.customer.user_id, for_update=True)
        assert user is not None
        user.disable(clock.now())
        await users.update(user)
        await (await scope.get(UnitOfWork)).commit()
    clock.advance(timedelta(days=400))
    await announce_and_deliver(memory_container)
    assert [m.subject for m in mailer.sent if "license" in m.subject] == []
