"""Events leave through the outbox and reach each consumer exactly once in effect."""

from __future__ import annotations

from datetime import timedelta

from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.job_queue import InMemoryJobQueue
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.application.common.dead_letters import ListDeadLetters, ReviveDeadLetter
from devforge.application.common.mailer import MailMessage
from devforge.application.common.outbox import Outbox
from devforge.application.common.relay_outbox import DELIVER_EVENT_JOB, RelayOutbox
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.entrypoints.worker.runtime import WorkerRuntime


async def register(container: AsyncContainer) -> None:
    async with container() as scope:
        await (await scope.get(RegisterUserHandler))(RegisterUser("ada@example.com", "correct horse battery staple"))


async def relay(container: AsyncContainer) -> list[dict[str, str]]:
    queue = await container.get(InMemoryJobQueue)
    queue.jobs.clear()
    async with container() as scope:
        await (await scope.get(RelayOutbox))()
    return [payload for job, payload in queue.jobs if job == DELIVER_EVENT_JOB]


async def test_registration_is_in_the_outbox_and_mailed_once_even_when_delivered_twice(
    memory_container: AsyncContainer, mailer: InMemoryMailer
) -> None:
    await register(memory_container)
    async with memory_container() as scope:
        pending = await (await scope.get(Outbox)).claim_unrelayed(10)
    assert "identity.user_registered" in [event.name for event in pending]

    jobs = await relay(memory_container)
    welcome = [job for job in jobs if job["consumer"] == "identity.send_welcome_mail"]
    assert len(welcome) == 1

    worker = WorkerRuntime(memory_container)
    await worker.deliver_event(welcome[0])
    await worker.deliver_event(welcome[0])  # the queue delivers at least once
    assert [(m.to, m.subject) for m in mailer.sent] == [("ada@example.com", "Welcome to Dev Forge")]
    assert await relay(memory_container) == []  # nothing left to relay or retry


class FailingMailer(InMemoryMailer):
    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    async def send(self, message: MailMessage) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("SMTP server unreachable")
        await super().send(message)


async def test_a_failing_consumer_is_retried_with_backoff_then_dead_lettered_then_revived(
    memory_container: AsyncContainer, mailer: InMemoryMailer, clock: ManualClock
) -> None:
    flaky = FailingMailer(failures=5)
    mailer.send = flaky.send  # type: ignore[method-assign]  # the mailer port starts failing
    await register(memory_container)
    worker = WorkerRuntime(memory_container)
    [job] = [j for j in await relay(memory_container) if j["consumer"] == "identity.send_welcome_mail"]

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
    assert (dead.consumer, dead.attempts) == ("identity.send_welcome_mail", 5)
    assert "SMTP server unreachable" in (dead.last_error or "")

    async with memory_container() as scope:
        await (await scope.get(ReviveDeadLetter))(dead.event_id, dead.consumer)
    [job] = await relay(memory_container)
    await worker.deliver_event(job)
    assert [m.to for m in flaky.sent] == ["ada@example.com"]
