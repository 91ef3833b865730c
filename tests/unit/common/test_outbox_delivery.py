"""Events leave through the outbox and reach each consumer exactly once in effect; mail leaves
through the mail outbox, once its consumer's transaction has committed."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.application.common.claim_deliveries import DeliveryJob
from devforge.application.common.dead_letters import ListDeadLetters, ReviveDeadLetter
from devforge.application.common.deliveries import Delivery, DeliveryLedger, DeliveryStatus
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mailer import MailMessage
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.entrypoints.worker.runtime import WorkerRuntime
from tests.outbox_drain import relay

WELCOME = "identity.send_welcome_mail"
SEND = "mail.send"


async def register(container: AsyncContainer) -> None:
    async with container() as scope:
        await (await scope.get(RegisterUserHandler))(RegisterUser("ada@example.com", "correct horse battery staple"))


async def delivery(container: AsyncContainer, job: DeliveryJob) -> Delivery:
    async with container() as scope:
        found = await (await scope.get(DeliveryLedger)).get(job.event_id, job.consumer)
    assert found is not None
    return found


async def welcome_posted(container: AsyncContainer) -> DeliveryJob:
    """Registers Ada and runs the welcome consumer: the mail is posted, not sent yet. The
    registration's other consumers (analytics' server fact...) are delivered first, out of the way."""
    await register(container)
    relayed = await relay(container)
    for other in (job for job in relayed if job.consumer != WELCOME):
        await WorkerRuntime(container).deliver_event(other)
    [welcome] = [job for job in relayed if job.consumer == WELCOME]
    await WorkerRuntime(container).deliver_event(welcome)
    [send] = await relay(container)
    assert send.consumer == SEND
    return send


async def test_registration_is_in_the_outbox_and_mailed_once_even_when_delivered_twice(
    memory_container: AsyncContainer, mailer: InMemoryMailer
) -> None:
    await register(memory_container)
    async with memory_container() as scope:
        pending = await (await scope.get(Outbox)).claim_unrelayed(10)
    assert "identity.user_registered" in [event.name for event in pending]

    worker = WorkerRuntime(memory_container)
    relayed = await relay(memory_container)
    for other in (job for job in relayed if job.consumer != WELCOME):
        await worker.deliver_event(other)
    [welcome] = [job for job in relayed if job.consumer == WELCOME]
    await worker.deliver_event(welcome)
    await worker.deliver_event(welcome)  # the queue delivers at least once
    assert mailer.sent == []  # posted, not sent: the mail waits for its own delivery
    [send] = await relay(memory_container)
    await worker.deliver_event(send)
    await worker.deliver_event(send)
    assert [(m.to, m.subject) for m in mailer.sent] == [("ada@example.com", "Welcome to Dev Forge")]
    assert mailer.sent[0].key == str(send.event_id)  # the Message-ID comes from the queued mail's id
    assert await relay(memory_container) == []  # nothing left to relay or retry


class FailingMailer(InMemoryMailer):
    def __init__(self, failures: int, error: Exception) -> None:
        super().__init__()
        self.failures, self.error = failures, error

    async def send(self, message: MailMessage) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise self.error
        await super().send(message)


async def test_a_failing_consumer_is_retried_with_backoff_then_dead_lettered_then_revived(
    memory_container: AsyncContainer, mailer: InMemoryMailer, clock: ManualClock
) -> None:
    flaky = FailingMailer(failures=5, error=ValueError("550 mailbox unavailable"))
    mailer.send = flaky.send  # type: ignore[method-assign]  # the relay refuses the mail
    worker = WorkerRuntime(memory_container)
    job = await welcome_posted(memory_container)

    await worker.deliver_event(job)  # attempt 1 fails
    assert await relay(memory_container) == []  # backing off: not due yet
    for _ in range(4):  # attempts 2..5 fail, each once its backoff has passed
        clock.advance(timedelta(hours=1))
        [job] = await relay(memory_container)
        await worker.deliver_event(job)

    clock.advance(timedelta(days=1))
    assert await relay(memory_container) == []  # dead letters are not retried
    async with memory_container() as scope:
        [dead] = await (await scope.get(ListDeadLetters))()
    assert (dead.consumer, dead.attempts) == (SEND, 5)
    assert "550 mailbox unavailable" in (dead.last_error or "")

    async with memory_container() as scope:
        await (await scope.get(ReviveDeadLetter))(dead.event_id, dead.consumer)
    [job] = await relay(memory_container)
    await worker.deliver_event(job)
    assert [m.to for m in flaky.sent] == ["ada@example.com"]


async def test_an_unreachable_server_postpones_a_delivery_without_using_up_its_attempts(
    memory_container: AsyncContainer, mailer: InMemoryMailer, clock: ManualClock
) -> None:
    flaky = FailingMailer(failures=12, error=ConnectionRefusedError("SMTP server unreachable"))
    mailer.send = flaky.send  # type: ignore[method-assign]
    worker = WorkerRuntime(memory_container)
    job = await welcome_posted(memory_container)

    for _ in range(12):  # more outages than the dead-letter limit allows failures
        await worker.deliver_event(job)
        postponed = await delivery(memory_container, job)
        assert (postponed.status, postponed.attempts) == (DeliveryStatus.PENDING, 0)
        assert postponed.next_attempt_at == clock.now() + timedelta(seconds=5)
        assert "SMTP server unreachable" in (postponed.last_error or "")
        assert await relay(memory_container) == []  # not before the outage delay
        clock.advance(timedelta(seconds=5))
        [job] = await relay(memory_container)
    await worker.deliver_event(job)
    assert [m.to for m in flaky.sent] == ["ada@example.com"]
    assert (await delivery(memory_container, job)).status is DeliveryStatus.DONE


async def test_a_delivery_for_a_consumer_this_version_does_not_have_is_dead_lettered(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    event = EventEnvelope(uuid4(), "gone.event", clock.now(), {})
    async with memory_container() as scope:
        await (await scope.get(Outbox)).add([event])
        await (await scope.get(DeliveryLedger)).open(
            [Delivery(event.event_id, "gone.consumer", DeliveryStatus.PENDING, 0, clock.now())]
        )
        await (await scope.get(UnitOfWork)).commit()
    [job] = await relay(memory_container)
    await WorkerRuntime(memory_container).deliver_event(job)
    async with memory_container() as scope:
        [dead] = await (await scope.get(ListDeadLetters))()
    assert dead.consumer == "gone.consumer" and "no consumer named" in (dead.last_error or "")
    clock.advance(timedelta(days=1))
    assert await relay(memory_container) == []
