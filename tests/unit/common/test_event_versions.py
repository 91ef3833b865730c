"""An event a consumer cannot read (a version it does not know, a payload that does not fit its
schema) is a dead letter at once, with the reason: no retry could read it either."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.store import MemoryStore
from devforge.application.billing.published import OrderLineV1, OrderPaidV1
from devforge.application.common.dead_letters import ListDeadLetters
from devforge.application.common.integration_events import (
    EventEnvelope,
    MalformedEvent,
    UnknownEventVersion,
    decode,
)
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from tests.outbox_drain import drain, relay

ORDER_PAID_READERS = {
    "analytics.record_server_fact",
    "billing.issue_invoice",
    "billing.send_receipt",
    "licensing.issue_license_for_order",
}


def order_paid(clock: ManualClock) -> EventEnvelope:
    line = OrderLineV1(product_code="editor-pro", policy_id=str(uuid4()), quantity=2)
    paid = OrderPaidV1(
        order_id=uuid4(), user_id=uuid4(), email="a@example.com", currency="EUR", total=9900, lines=(line,)
    )
    return paid.envelope(clock.now())


async def publish(container: AsyncContainer, event: EventEnvelope) -> None:
    async with container() as scope:
        await (await scope.get(Outbox)).add([event])
        await (await scope.get(UnitOfWork)).commit()


def test_a_schema_goes_out_as_plain_json_and_comes_back_the_same(clock: ManualClock) -> None:
    event = order_paid(clock)
    assert (event.name, event.version) == ("billing.order_paid", 1)
    assert event.payload["lines"] == [
        {"product_code": "editor-pro", "policy_id": event.payload["lines"][0]["policy_id"], "quantity": 2}
    ]
    assert OrderPaidV1.decode(event) == decode(event, OrderPaidV1)
    assert OrderPaidV1.decode(event).lines[0].quantity == 2


def test_a_payload_that_does_not_fit_names_the_field(clock: ManualClock) -> None:
    event = order_paid(clock)
    wrong = EventEnvelope(
        event.event_id, event.name, event.occurred_at, {**event.payload, "lines": [{"quantity": "2"}]}
    )
    with pytest.raises(MalformedEvent, match=r"lines\[0\]\.product_code is missing"):
        OrderPaidV1.decode(wrong)
    wrong.payload["lines"][0].update(product_code="x", policy_id=None)
    with pytest.raises(MalformedEvent, match=r"lines\[0\]\.quantity is not an int"):
        OrderPaidV1.decode(wrong)
    with pytest.raises(UnknownEventVersion, match=r"billing.order_paid version 2 is unknown here \(reads version 1\)"):
        OrderPaidV1.decode(EventEnvelope(event.event_id, event.name, event.occurred_at, event.payload, version=2))


async def test_an_event_of_an_unknown_version_lands_in_the_dead_letters_with_that_reason(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    current = order_paid(clock)
    newer = EventEnvelope(uuid4(), current.name, clock.now(), {"order": "in a shape of tomorrow"}, version=2)
    await publish(memory_container, newer)
    await drain(memory_container)

    async with memory_container() as scope:
        dead = await (await scope.get(ListDeadLetters))()
    assert {letter.consumer for letter in dead} == ORDER_PAID_READERS
    for letter in dead:
        assert (letter.event_id, letter.attempts) == (newer.event_id, 1)
        assert (
            letter.last_error == "UnknownEventVersion: billing.order_paid version 2 is unknown here (reads version 1)"
        )
    clock.advance(timedelta(days=1))
    assert await relay(memory_container) == []  # never retried
    store = await memory_container.get(MemoryStore)
    assert not store.table("billing_invoices") and not store.table("licensing_licenses")


async def test_a_payload_that_does_not_fit_its_version_is_a_dead_letter_too(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    event = order_paid(clock)
    del event.payload["lines"]
    await publish(memory_container, event)
    await drain(memory_container)
    async with memory_container() as scope:
        dead = await (await scope.get(ListDeadLetters))()
    assert {letter.consumer for letter in dead} == ORDER_PAID_READERS
    assert {letter.last_error for letter in dead} == {
        "MalformedEvent: billing.order_paid v1 does not fit OrderPaidV1: lines is missing"
    }
