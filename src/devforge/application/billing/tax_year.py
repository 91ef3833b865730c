"""A tax year's movements per payee, for the year-end reports (not a use case: the report use
cases share it). Finance (``finance:read``, administrative: two-factor) reads every payee; a
publisher's owner reads its own payee's year, for its own copy of a form.

Each payee with a tax profile is read from the ledger's ``seller_payable:<publisher>`` account
over the year (``SellerLedger``, the statements' port), by the day each movement was posted:

- a sale (``sale:<order>``, or ``sale:<order>:<renewal>`` for a subscription's renewal) is one
  payment transaction; its gross is what the buyer paid for the payee's lines of the order (the
  order's lines, tax included, read together through ``StatementOrders``), its consideration the share the ledger
  credited, its fee the commission (the lines' net less that share). Refunds do not lower gross
  (Form 1099-K reports gross payments);
- a service payment (``services:<payment>``, ``ledger_postings.service_payment``) is what the
  platform paid the payee for services (Form 1099-NEC);
- a payout's ``tax_withheld`` leg is tax withheld (net of any payout returned).
"""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.application.billing.report_flights import ReportFlights
from devforge.application.billing.statement_ports import SellerLedger, StatementOrders
from devforge.application.billing.tax_profile_ports import TaxProfileReads
from devforge.application.common.actor import Actor
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import TAX_WITHHELD, Account, LedgerTransaction
from devforge.domain.billing.ledger_postings import SERVICES_PREFIX
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.billing.tax_errors import PayeeNotFound
from devforge.domain.billing.tax_profile import TaxProfile
from devforge.domain.billing.tax_reports import USD, PayeeSale, PayeeYear, TaxYearRules, rules_for
from devforge.domain.shared.errors import NotPermitted


class TaxYear:
    def __init__(
        self,
        profiles: TaxProfileReads,
        ledger: SellerLedger,
        orders: StatementOrders,
        sellers: ExtensionSellers,
        flights: ReportFlights,
    ) -> None:
        self._profiles, self._ledger, self._orders, self._sellers = profiles, ledger, orders, sellers
        self._flights = flights

    async def payees(self, actor: Actor, year: int) -> tuple[TaxYearRules, list[PayeeYear]]:
        """Callers asking for one year at once share its reading (``ReportFlights``)."""
        rules = self._rules(actor, year)
        payees = await self._flights.run(("tax_year", year), lambda: self._payees(rules))
        return rules, list(payees)

    async def _payees(self, rules: TaxYearRules) -> tuple[PayeeYear, ...]:
        return tuple([await self._payee(profile, rules) for profile in await self._profiles.all()])

    async def payee(self, actor: Actor, year: int, publisher_id: UUID) -> tuple[TaxYearRules, list[PayeeYear]]:
        """One payee's year (none without a profile): what its own copy of a form needs. Finance
        reads any; the publisher's owner its own (anyone else: 404, as if there were none)."""
        if not actor.may(BillingPermission.FINANCE_READ):
            seller = await self._sellers.seller(publisher_id)
            if seller is None or seller.owner_id != actor.user_id:
                raise PayeeNotFound("No publisher you own has this id.", field="publisherId")
        rules = rules_for(year)
        payees = await self._flights.run(("tax_year", year, publisher_id), lambda: self._one(publisher_id, rules))
        return rules, list(payees)

    async def _one(self, publisher_id: UUID, rules: TaxYearRules) -> tuple[PayeeYear, ...]:
        profile = await self._profiles.get(publisher_id)
        return (await self._payee(profile, rules),) if profile else ()

    @staticmethod
    def _rules(actor: Actor, year: int) -> TaxYearRules:
        if not actor.may(BillingPermission.FINANCE_READ):
            raise NotPermitted("Tax reports are finance's.")
        return rules_for(year)

    async def _payee(self, profile: TaxProfile, rules: TaxYearRules) -> PayeeYear:
        account = Account.seller_payable(profile.publisher_id)
        sold: list[tuple[LedgerTransaction, Money]] = []
        services, withheld = Money.zero(USD), Money.zero(USD)
        for currency in sorted(await self._ledger.first_movements(profile.publisher_id), key=lambda c: c.code):
            moves = await self._ledger.transactions(profile.publisher_id, currency, start=rules.start, end=rules.end)
            for transaction in moves:
                credited = -_on(transaction, account, currency)
                if transaction.idempotency_id.startswith("sale:"):
                    sold.append((transaction, credited))
                elif transaction.idempotency_id.startswith(SERVICES_PREFIX) and currency == USD:
                    services += credited
                if currency == USD:
                    withheld -= _on(transaction, TAX_WITHHELD, currency)
        orders = await self._orders.orders(sorted({_order_id(transaction) for transaction, _ in sold}))
        sales = [
            _sale(transaction, orders.get(_order_id(transaction)), profile.publisher_id, share)
            for transaction, share in sold
        ]
        return PayeeYear(profile, sales, services, withheld)


def _order_id(transaction: LedgerTransaction) -> UUID:
    return UUID(transaction.idempotency_id.split(":")[1])


def _sale(transaction: LedgerTransaction, order: Order | None, publisher_id: UUID, share: Money) -> PayeeSale:
    currency = transaction.currency
    lines = [line for line in (order.lines if order else ()) if line.seller_id == publisher_id]
    gross = Money.total((line.amounts.gross for line in lines), currency)
    net = Money.total((line.amounts.net for line in lines), currency)
    return PayeeSale(transaction.occurred_at, gross, share, net - share)


def _on(transaction: LedgerTransaction, account: Account, currency: Currency) -> Money:
    return Money.total((entry.amount for entry in transaction.entries if entry.account == account), currency)
