"""A payee's tax year as the reports read it from the ledger and the orders (memory store): a sale
and each renewal are transactions at the order's gross, a refund lowers nothing, services and
withholding (net of a returned payout) are summed, and only the year's movements count."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.ports import OrderRepository
from devforge.application.billing.tax_profile_ports import TaxProfileRepository
from devforge.application.billing.tax_year import TaxYear
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.container import make_container, memory_providers
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.money import Money
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_profile import Tin, TinKind, UsEntityType, w9
from devforge.domain.billing.tax_reports import USD, PayeeSale
from devforge.domain.shared.errors import NotPermitted
from tests.conftest import settings_for_tests
from tests.integration.http.test_tax_year_reports import paid_order

MARCH, JUNE = datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 6, 2, tzinfo=UTC)
FINANCE = Actor.holding(uuid4(), BillingPermission.FINANCE_READ)


async def test_a_payees_year_from_the_ledger_and_its_orders() -> None:
    container = make_container(settings_for_tests(), base=memory_providers())
    publisher = uuid4()
    profile = w9(
        publisher,
        legal_name="Ada",
        entity_type=UsEntityType.INDIVIDUAL,
        tin=Tin.parse("123-45-6789", TinKind.SSN),
        sealed_tin="sealed",
        address="1 Main St",
        signer_name="Ada",
        at=MARCH,
    )
    gross = Money(10_000, USD)
    order = paid_order(publisher, gross, MARCH)
    last_year = paid_order(publisher, gross, datetime(2025, 12, 31, tzinfo=UTC))
    share = {publisher: Money(7_000, USD)}
    postings = [
        ledger_postings.sale(order.id, order.total, MARCH, share),
        ledger_postings.sale(order.id, order.total, JUNE, share, renewal="in_1"),
        ledger_postings.sale(last_year.id, last_year.total, last_year.created_at, share),
        ledger_postings.refund(
            uuid4(), TaxedAmount.of(Money(5_000, USD), Money.zero(USD)), JUNE, {publisher: Money(3_500, USD)}
        ),
        ledger_postings.service_payment(uuid4(), publisher, Money(300_000, USD), "An audit", JUNE),
        ledger_postings.payout("run1", publisher, Money(4_000, USD), JUNE, withheld=Money(1_000, USD)),
    ]
    returned = ledger_postings.payout("run2", publisher, Money(2_000, USD), JUNE, withheld=Money(500, USD))
    postings += [returned, ledger_postings.payout_returned(returned, "run2", JUNE)]
    async with container() as scope:
        await (await scope.get(TaxProfileRepository)).save(profile)
        for kept in (order, last_year):
            await (await scope.get(OrderRepository)).add(kept)
        for posting in postings:
            await (await scope.get(LedgerRepository)).post(posting)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        tax_year = await scope.get(TaxYear)
        _, [payee] = await tax_year.payees(FINANCE, 2026)
        with pytest.raises(NotPermitted):
            await tax_year.payees(Actor.holding(uuid4(), BillingPermission.EXTENSIONS_SELL), 2026)
    await container.close()
    fee = Money(3_000, USD)
    assert payee.sales == [
        PayeeSale(MARCH, gross, Money(7_000, USD), fee),
        PayeeSale(JUNE, gross, Money(7_000, USD), fee),
    ]
    assert payee.services == Money(300_000, USD)
    assert payee.withheld == Money(1_000, USD)
