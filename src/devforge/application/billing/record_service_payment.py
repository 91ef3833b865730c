"""A billing admin records what the platform owes a publisher for services rendered to it (say,
a commissioned port or a security audit of the platform's own code): a ``services`` posting that
credits the publisher's payable account, paid out with its next payout and reported on Form
1099-NEC. This, and only this, is "paid for services" in the tax reports; sales of extensions are
payments to a seller (Form 1099-K), never services.

The admin chooses the payment's id, so recording it again changes nothing (the ledger's
idempotency); the same id with another amount is a conflict. A missing publisher is 404."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.ledger import LedgerTransaction
from devforge.domain.billing.money import Money
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.billing.tax_errors import PayeeNotFound, ServicePaymentInvalid
from devforge.domain.shared.errors import NotPermitted


@dataclass(frozen=True, slots=True)
class RecordServicePayment:
    payment_id: UUID
    publisher_id: UUID
    amount_minor: int
    currency: str
    description: str


class RecordServicePaymentHandler:
    def __init__(self, uow: UnitOfWork, ledger: LedgerRepository, sellers: ExtensionSellers, clock: Clock) -> None:
        self._uow, self._ledger, self._sellers, self._clock = uow, ledger, sellers, clock

    async def __call__(self, actor: Actor, command: RecordServicePayment) -> LedgerTransaction:
        if not actor.may(BillingPermission.ADMIN):
            raise NotPermitted("Recording a service payment is a billing admin's.")
        if await self._sellers.seller(command.publisher_id) is None:
            raise PayeeNotFound("No publisher has this id.", field="publisherId")
        amount = Money.of(command.amount_minor, command.currency)
        if amount.is_zero or amount.is_negative:
            raise ServicePaymentInvalid("A service payment is a positive amount.", field="amount")
        description = " ".join(command.description.split())
        if not description:
            raise ServicePaymentInvalid("Say what the services were.", field="description")
        posting = ledger_postings.service_payment(
            command.payment_id, command.publisher_id, amount, description, self._clock.now()
        )
        if await self._ledger.post(posting):
            await self._uow.commit()
            return posting
        kept = await self._ledger.get(posting.idempotency_id)
        return kept or posting
