"""Year-end tax reports: which payees are reportable on Form 1099-K, Form 1099-NEC and DAC7, and
their figures. Pure: the application hands in each payee's profile and its year's movements.

Thresholds are data per tax year (``TAX_YEARS``), from the law as it stands for that year:

- **1099-K** (IRC §6050W(e) as restored by Public Law 119-21, 2025): a payee is reported when its
  gross payments in the year are **more than $20,000 and** it had **more than 200** transactions;
- **1099-NEC** (IRC §6041A, threshold raised by Public Law 119-21 from 2026): **$2,000 or more**
  paid for services in the year ($600 before 2026);
- **DAC7** (Council Directive (EU) 2021/514, Annex V, I.B.4): an EU seller is reportable
  **unless** it had **fewer than 30** sales **and less than EUR 2,000** of consideration.

Amounts: 1099 figures are in USD and DAC7's in EUR, from movements in that currency (the platform
keeps no exchange rates; see architecture.md); DAC7's count of sales takes every currency.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Final
from uuid import UUID

from devforge.domain.billing.countries import EU_MEMBER_STATES
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.money import Money
from devforge.domain.billing.tax_errors import TaxYearUnknown
from devforge.domain.billing.tax_profile import TaxForm, TaxProfile

USD, EUR = Currency.of("USD"), Currency.of("EUR")


class TaxReport(StrEnum):
    FORM_1099K = "1099-k"
    FORM_1099NEC = "1099-nec"
    DAC7 = "dac7"


@dataclass(frozen=True, slots=True)
class TaxYearRules:
    year: int
    k_gross_over: Money  # 1099-K: gross more than this ...
    k_transactions_over: int  # ... and more than this many transactions
    nec_at_least: Money  # 1099-NEC: this much or more for services
    dac7_sales_below: int = 30  # DAC7: not reportable with fewer sales than this ...
    dac7_consideration_below: Money = field(default_factory=lambda: Money(200_000, EUR))  # ... and less than this

    @property
    def start(self) -> datetime:
        return datetime(self.year, 1, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return datetime(self.year + 1, 1, 1, tzinfo=UTC)


TAX_YEARS: Final[dict[int, TaxYearRules]] = {
    2025: TaxYearRules(2025, Money(2_000_000, USD), 200, Money(60_000, USD)),
    2026: TaxYearRules(2026, Money(2_000_000, USD), 200, Money(200_000, USD)),
}


def rules_for(year: int) -> TaxYearRules:
    rules = TAX_YEARS.get(year)
    if rules is None:
        known = ", ".join(str(known) for known in sorted(TAX_YEARS))
        raise TaxYearUnknown(f"No reporting thresholds for {year}; known tax years: {known}.", field="year")
    return rules


@dataclass(frozen=True, slots=True)
class PayeeSale:
    """One payment transaction for a payee: an order (or a renewal of it) with its lines."""

    at: datetime
    gross: Money  # what the buyer paid for the payee's lines, tax included
    share: Money  # what the ledger credited the payee (its consideration)
    fee: Money  # the platform's commission on those lines


@dataclass(frozen=True, slots=True)
class PayeeYear:
    """A payee's movements in one tax year, as the ledger and the orders tell them."""

    profile: TaxProfile
    sales: Sequence[PayeeSale]
    services: Money  # paid for services (``services`` postings), USD
    withheld: Money  # withheld from payouts (backup or non-US withholding), USD


@dataclass(frozen=True, slots=True)
class Form1099K:
    profile: TaxProfile
    gross: Money  # box 1a
    transactions: int  # box 3
    monthly: tuple[Money, ...]  # boxes 5a-5l, January to December
    withheld: Money  # box 4


@dataclass(frozen=True, slots=True)
class Form1099Nec:
    profile: TaxProfile
    compensation: Money  # box 1
    withheld: Money  # box 4


@dataclass(frozen=True, slots=True)
class Dac7Quarter:
    sales: int
    consideration: Money
    fees: Money


@dataclass(frozen=True, slots=True)
class Dac7Seller:
    profile: TaxProfile
    sales: int
    consideration: Money
    quarters: tuple[Dac7Quarter, ...]


def forms_1099k(rules: TaxYearRules, payees: Sequence[PayeeYear]) -> list[Form1099K]:
    """US persons (a W-9) over both thresholds; backup withholding is reported here."""
    forms = []
    for payee in _us_persons(payees):
        sales = [sale for sale in payee.sales if sale.gross.currency == USD]
        gross = Money.total((sale.gross for sale in sales), USD)
        if gross > rules.k_gross_over and len(sales) > rules.k_transactions_over:
            monthly = tuple(
                Money.total((sale.gross for sale in sales if sale.at.month == month), USD) for month in range(1, 13)
            )
            forms.append(Form1099K(payee.profile, gross, len(sales), monthly, payee.withheld))
    return forms


def forms_1099nec(rules: TaxYearRules, payees: Sequence[PayeeYear], with_1099k: set[UUID]) -> list[Form1099Nec]:
    """US persons paid ``nec_at_least`` or more for services. What was withheld from payouts is
    reported once: on the 1099-K when the payee has one, else here."""
    return [
        Form1099Nec(
            payee.profile,
            payee.services,
            Money.zero(USD) if payee.profile.publisher_id in with_1099k else payee.withheld,
        )
        for payee in _us_persons(payees)
        if payee.services >= rules.nec_at_least
    ]


def dac7_sellers(rules: TaxYearRules, payees: Sequence[PayeeYear]) -> list[Dac7Seller]:
    """Sellers resident in an EU member state (their W-8's country), unless under both de minimis
    thresholds."""
    sellers = []
    for payee in payees:
        if payee.profile.form is TaxForm.W9 or payee.profile.country not in EU_MEMBER_STATES:
            continue
        in_eur = [sale for sale in payee.sales if sale.share.currency == EUR]
        consideration = Money.total((sale.share for sale in in_eur), EUR)
        if len(payee.sales) < rules.dac7_sales_below and consideration < rules.dac7_consideration_below:
            continue
        quarters = tuple(_quarter(payee.sales, in_eur, quarter) for quarter in range(4))
        sellers.append(Dac7Seller(payee.profile, len(payee.sales), consideration, quarters))
    return sellers


def _quarter(every: Sequence[PayeeSale], in_eur: Sequence[PayeeSale], quarter: int) -> Dac7Quarter:
    months = range(quarter * 3 + 1, quarter * 3 + 4)
    sales = [sale for sale in in_eur if sale.at.month in months]
    return Dac7Quarter(
        sum(1 for sale in every if sale.at.month in months),
        Money.total((sale.share for sale in sales), EUR),
        Money.total((sale.fee for sale in sales), EUR),
    )


def _us_persons(payees: Sequence[PayeeYear]) -> list[PayeeYear]:
    return [payee for payee in payees if payee.profile.form is TaxForm.W9]
