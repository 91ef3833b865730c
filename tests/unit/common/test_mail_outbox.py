"""A mail is posted in its consumer's transaction and sent once that has committed; a send the
database never heard of is not repeated by the process that made it."""

from __future__ import annotations

from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.adapters.memory.store import MemoryStore
from devforge.application.common.clock import Clock
from devforge.application.common.deliveries import DeliveryLedger, DeliveryStatus
from devforge.application.common.mail_outbox import MailOutbox, OutgoingMail
from devforge.application.common.mailer import MailMessage
from devforge.application.common.outbox import Outbox
from devforge.application.common.secret_box import SecretBox
from devforge.application.common.send_queued_mail import SentMailMemo, WhenMailQueuedSendIt
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.entrypoints.worker.runtime import WorkerRuntime
from tests.outbox_drain import drain, relay

NOTE = MailMessage("ada@example.com", "Hello", "Your link: https://example.com/#token=raw-secret-token")


async def post(container: AsyncContainer, *, commit: bool = True) -> None:
    async with container() as scope:
        await (await scope.get(OutgoingMail)).post(NOTE)
        if commit:
            await (await scope.get(UnitOfWork)).commit()


async def test_a_posted_mail_is_sent_once_with_a_key_and_its_body_is_dropped(
    memory_container: AsyncContainer, mailer: InMemoryMailer
) -> None:
    await post(memory_container)
    assert mailer.sent == []
    store = await memory_container.get(MemoryStore)
    assert "raw-secret-token" not in repr(store.snapshot())  # sealed while it waits
    await drain(memory_container)
    [sent] = mailer.sent
    [queued] = store.table("mail_outbox").values()
    assert (sent.to, sent.subject, sent.text, sent.key) == (NOTE.to, NOTE.subject, NOTE.text, str(queued.mail_id))
    assert queued.sent_at is not None and queued.sealed is None
    assert await drain(memory_container) == 0


async def test_a_mail_posted_in_a_transaction_that_rolls_back_is_never_sent(
    memory_container: AsyncContainer, mailer: InMemoryMailer
) -> None:
    await post(memory_container, commit=False)
    await drain(memory_container)
    store = await memory_container.get(MemoryStore)
    assert mailer.sent == [] and store.table("mail_outbox") == {}


async def test_a_mail_sent_but_never_recorded_is_recorded_on_the_retry_without_a_second_send(
    memory_container: AsyncContainer, mailer: InMemoryMailer
) -> None:
    await post(memory_container)
    [job] = await relay(memory_container)
    async with memory_container() as scope:  # the send goes through, then the database is gone: no commit
        event = await (await scope.get(Outbox)).get(job.event_id)
        assert event is not None
        await (await scope.get(WhenMailQueuedSendIt)).handle(event)
    assert len(mailer.sent) == 1

    await WorkerRuntime(memory_container).deliver_event(job)  # the retry, in the same process
    assert len(mailer.sent) == 1
    async with memory_container() as scope:
        done = await (await scope.get(DeliveryLedger)).get(job.event_id, job.consumer)
        queued = await (await scope.get(MailOutbox)).get(job.event_id)
    assert done is not None and done.status is DeliveryStatus.DONE
    assert queued is not None and queued.sent_at is not None


async def test_another_process_sends_it_again_under_the_same_key(
    memory_container: AsyncContainer, mailer: InMemoryMailer, clock: ManualClock
) -> None:
    await post(memory_container)
    [job] = await relay(memory_container)
    for memo in (SentMailMemo(), SentMailMemo()):  # two processes, the first crashing before its commit
        async with memory_container() as scope:
            event = await (await scope.get(Outbox)).get(job.event_id)
            assert event is not None
            consumer = WhenMailQueuedSendIt(
                await scope.get(MailOutbox), mailer, await scope.get(SecretBox), memo, await scope.get(Clock)
            )
            await consumer.handle(event)
    assert [m.key for m in mailer.sent] == [str(job.event_id)] * 2  # one Message-ID: the relay drops the copy
