"""A billing admin records a payment for services: the publisher's payable is credited once per
payment id, a different amount under the same id is a conflict, and only an admin may."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from devforge.adapters.memory.billing_documents import InMemoryLedgerRepository
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.application.billing.extension_sellers import Seller
from devforge.application.billing.record_service_payment import RecordServicePayment, RecordServicePaymentHandler
from devforge.application.common.actor import Actor
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import SERVICES, Account, LedgerIdempotencyConflict
from devforge.domain.billing.money import Money
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.billing.tax_errors import PayeeNotFound, ServicePaymentInvalid
from devforge.domain.shared.errors import NotPermitted
from tests.fakes.extension_sellers import FakeExtensionSellers

PUBLISHER = uuid4()
ADMIN = Actor.holding(uuid4(), BillingPermission.ADMIN)
USD = Currency.of("USD")


def handler(store: MemoryStore) -> RecordServicePaymentHandler:
    sellers = FakeExtensionSellers()
    sellers.sellers[PUBLISHER] = Seller(PUBLISHER, "Acme", uuid4(), verified=True)
    uow = InMemoryUnitOfWork(store)
    clock = ManualClock(datetime(2026, 6, 1, tzinfo=UTC))
    return RecordServicePaymentHandler(uow, InMemoryLedgerRepository(uow.store), sellers, clock)


async def test_a_service_payment_credits_the_publisher_once() -> None:
    store, payment = MemoryStore(), RecordServicePayment(uuid4(), PUBLISHER, 250_000, "USD", "A port")
    await handler(store)(ADMIN, payment)
    await handler(store)(ADMIN, payment)
    balances = await InMemoryLedgerRepository(store).balances(USD)
    assert balances[Account.seller_payable(PUBLISHER)] == Money(-250_000, USD)
    assert balances[SERVICES] == Money(250_000, USD)
    with pytest.raises(LedgerIdempotencyConflict):
        await handler(store)(ADMIN, RecordServicePayment(payment.payment_id, PUBLISHER, 1, "USD", "A port"))


@pytest.mark.parametrize(
    ("actor", "command", "error"),
    [
        (Actor(uuid4()), RecordServicePayment(uuid4(), PUBLISHER, 100, "USD", "x"), NotPermitted),
        (ADMIN, RecordServicePayment(uuid4(), uuid4(), 100, "USD", "x"), PayeeNotFound),
        (ADMIN, RecordServicePayment(uuid4(), PUBLISHER, 0, "USD", "x"), ServicePaymentInvalid),
        (ADMIN, RecordServicePayment(uuid4(), PUBLISHER, 100, "USD", "   "), ServicePaymentInvalid),
    ],
)
async def test_refusals_post_nothing(actor: Actor, command: RecordServicePayment, error: type[Exception]) -> None:
    store = MemoryStore()
    with pytest.raises(error):
        await handler(store)(actor, command)
    assert not store.table("billing_ledger_transactions")
