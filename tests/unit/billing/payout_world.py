"""A payout run's world on the memory adapters: a ledger seeded with sales, payees with
accounts and tax forms (fakes), the run, the admin hold, the returned-payout consumer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from devforge.adapters.memory.billing_documents import InMemoryLedgerRepository
from devforge.adapters.memory.billing_reads import InMemoryProductReader
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.outbox import InMemoryOutbox
from devforge.adapters.memory.payouts import (
    InMemoryPayeeBalances,
    InMemoryPayoutHolds,
    InMemoryPayoutReader,
    InMemoryPayoutRepository,
    InMemoryPayoutTransfers,
)
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.application.billing.extension_sellers import Seller
from devforge.application.billing.payout_run_ports import PayoutPolicy, PayoutTransfers
from devforge.application.billing.run_payouts import PayoutRunReport, RunPayouts
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.catalog import CatalogProduct, ProductKind
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.earnings import EarningsBalance
from devforge.domain.billing.ledger import Account, balances
from devforge.domain.billing.money import Money
from devforge.domain.billing.payee_earnings import payee_earnings
from devforge.domain.billing.tax import TaxedAmount
from tests.fakes.extension_sellers import FakeExtensionSellers
from tests.fakes.payees import FakePayeeAccounts, FakePayeeTaxStatus

USD = Currency("USD")
EUR = Currency("EUR")
HOLD = timedelta(days=30)
POLICY = PayoutPolicy(hold=HOLD, minimums={"USD": 10_000, "EUR": 5_000}, default_minimum=10_000)


@dataclass
class PayoutWorld:
    store: MemoryStore = field(default_factory=MemoryStore)
    clock: ManualClock = field(default_factory=lambda: ManualClock(datetime(2026, 10, 1, 12, tzinfo=UTC)))
    accounts: FakePayeeAccounts = field(default_factory=FakePayeeAccounts)
    tax: FakePayeeTaxStatus = field(default_factory=FakePayeeTaxStatus)
    sellers: FakeExtensionSellers = field(default_factory=FakeExtensionSellers)
    transfers: InMemoryPayoutTransfers = field(default_factory=InMemoryPayoutTransfers)

    def publisher(self, *, enabled: bool = True, tax_form: bool = True, withholding_bp: int = 0) -> UUID:
        publisher = uuid4()
        self.sellers.sellers[publisher] = Seller(publisher, f"pub-{publisher.hex[:6]}", uuid4(), True)
        if enabled:
            self.accounts.enable(publisher)
        if tax_form:
            self.tax.file(publisher, withholding_bp)
        return publisher

    def sell(self, publisher: UUID, share: int, currency: Currency = USD, *, days_ago: int = 40) -> UUID:
        """A sale whose developer share is ``share`` (the rest the platform's), ``days_ago`` old."""
        order = uuid4()
        at = self.clock.now() - timedelta(days=days_ago)
        gross = TaxedAmount.of(Money(share * 2, currency), Money.zero(currency))
        self.post(ledger_postings.sale(order, gross, at, {publisher: Money(share, currency)}))
        return order

    def post(self, transaction: object) -> None:
        from devforge.domain.billing.ledger import LedgerTransaction

        assert isinstance(transaction, LedgerTransaction)
        self.store.table("billing_ledger_transactions")[transaction.idempotency_id] = transaction

    def run_payouts(self, transfers: PayoutTransfers | None = None) -> RunPayouts:
        uow = InMemoryUnitOfWork(self.store)
        return RunPayouts(
            uow,
            InMemoryPayeeBalances(uow.store),
            InMemoryPayoutRepository(uow.store),
            InMemoryPayoutHolds(uow.store),
            self.accounts,
            self.tax,
            InMemoryLedgerRepository(uow.store),
            transfers or self.transfers,
            InMemoryOutbox(uow.store),
            self.sellers,
            self.clock,
            POLICY,
            InMemoryProductReader(self.store),
        )

    async def run(self, run_id: str = "2026-10") -> PayoutRunReport:
        return await self.run_payouts()(run_id)

    def balance(self, publisher: UUID, currency: Currency = USD) -> EarningsBalance:
        ledger = self.store.table("billing_ledger_transactions").values()
        earnings = payee_earnings(list(ledger), now=self.clock.now(), hold=HOLD)
        return earnings[(publisher, currency)]

    def account(self, account: Account, currency: Currency = USD) -> int:
        ledger = list(self.store.table("billing_ledger_transactions").values())
        return balances(ledger, currency).get(account, Money.zero(currency)).amount_minor

    def product_with_refund_window(self, days: int) -> None:
        product = CatalogProduct(
            uuid4(), f"ext-{uuid4().hex[:8]}", "Ext", ProductKind.EXTENSION, None, days, self.clock.now()
        )
        self.store.table("billing_products")[product.code] = product

    def reader(self) -> InMemoryPayoutReader:
        return InMemoryPayoutReader(self.store)

    def repository(self) -> InMemoryPayoutRepository:
        return InMemoryPayoutRepository(self.store)

    def outbox_names(self) -> list[str]:
        return [row["event"].name for row in self.store.table("outbox").values()]
