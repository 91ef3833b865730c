"""The ledger: every transaction balances by construction, the accounts sum to zero per
currency, corrections are reversals, and one fact posts once."""

from __future__ import annotations

from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.billing import ledger_postings
from devforge.domain.billing.allocation import split_revenue
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import CurrencyMismatch
from devforge.domain.billing.ledger import (
    CLEARING,
    REVENUE,
    TAX_PAYABLE,
    Account,
    AccountKind,
    LedgerEntry,
    LedgerTransaction,
    LedgerTransactionUnbalanced,
    balances,
)
from devforge.domain.billing.money import Money
from devforge.domain.billing.tax import TaxedAmount
from tests.unit.billing.documents import NOW
from tests.unit.billing.strategies import currencies

EUR = Currency("EUR")
small = st.integers(min_value=0, max_value=10**9)


def test_a_transaction_that_does_not_balance_cannot_exist() -> None:
    with pytest.raises(LedgerTransactionUnbalanced):
        LedgerTransaction(
            uuid4(), "x", EUR, (LedgerEntry(CLEARING, Money(100, EUR)), LedgerEntry(REVENUE, Money(-99, EUR))), "", NOW
        )


def test_a_transaction_is_in_one_currency() -> None:
    with pytest.raises(CurrencyMismatch):
        LedgerTransaction.of(
            id=uuid4(),
            idempotency_id="x",
            entries=[(CLEARING, Money.of(100, "EUR")), (REVENUE, Money.of(-100, "USD"))],
            description="",
            occurred_at=NOW,
        )


def test_a_transaction_needs_an_idempotency_id() -> None:
    with pytest.raises(LedgerTransactionUnbalanced):
        ledger_postings.processor_fee("", Money(30, EUR), NOW).reversal(
            id=uuid4(), idempotency_id="", occurred_at=NOW, description=""
        )


def test_the_sale_credits_revenue_and_tax_and_debits_the_processor() -> None:
    sale = ledger_postings.sale(uuid4(), TaxedAmount.of(Money(10000, EUR), Money(1900, EUR)), NOW)
    assert balances([sale], EUR) == {
        CLEARING: Money(11900, EUR),
        REVENUE: Money(-10000, EUR),
        TAX_PAYABLE: Money(-1900, EUR),
    }


def test_the_marketplace_split_credits_the_developer_payable() -> None:
    developer = uuid4()
    net = Money(999, EUR)
    split = split_revenue(net)
    sale = ledger_postings.sale(uuid4(), TaxedAmount.of(net, Money(190, EUR)), NOW, {developer: split.developer})
    result = balances([sale], EUR)
    assert result[Account.seller_payable(developer)] == -split.developer
    assert result[REVENUE] == -split.platform
    assert sum(m.amount_minor for m in result.values()) == 0


def test_a_reversal_cancels_the_original_and_points_at_it() -> None:
    hold = ledger_postings.dispute_opened("dp_1", Money(500, EUR), NOW)
    won = ledger_postings.dispute_won(hold, "dp_1", NOW)
    assert won.reverses == hold.id
    assert all(m.is_zero for m in balances([hold, won], EUR).values())


def test_one_fact_has_one_id() -> None:
    order = uuid4()
    amounts = TaxedAmount.of(Money(100, EUR), Money(19, EUR))
    first, again = ledger_postings.sale(order, amounts, NOW), ledger_postings.sale(order, amounts, NOW)
    assert first.id == again.id and first.same_movement_as(again)
    assert not first.same_movement_as(ledger_postings.sale(order, TaxedAmount.of(Money(101, EUR), Money(19, EUR)), NOW))


def test_accounts_round_trip_through_their_codes() -> None:
    for account in [Account(kind) for kind in AccountKind if kind is not AccountKind.SELLER_PAYABLE]:
        assert Account.parse(account.code) == account
    seller = Account.seller_payable(uuid4())
    assert Account.parse(seller.code) == seller


@st.composite
def movements(draw: st.DrawFn, currency: Currency) -> list[LedgerTransaction]:
    """Any mix of sales (some split with sellers), fees, refunds and disputes."""
    result = []
    for index in range(draw(st.integers(min_value=1, max_value=12))):
        net, tax = Money(draw(small), currency), Money(draw(small), currency)
        amounts = TaxedAmount.of(net, tax)
        kind = draw(st.sampled_from(["sale", "split", "fee", "refund", "dispute"]))
        if amounts.gross.is_zero:
            continue
        if kind == "sale":
            result.append(ledger_postings.sale(uuid4(), amounts, NOW))
        elif kind == "split":
            share = split_revenue(net, draw(st.integers(min_value=0, max_value=10_000))).developer
            result.append(ledger_postings.sale(uuid4(), amounts, NOW, {uuid4(): share}))
        elif kind == "fee":
            result.append(ledger_postings.processor_fee(f"pi_{index}", amounts.gross, NOW))
        elif kind == "refund":
            result.append(ledger_postings.refund(uuid4(), amounts, NOW))
        else:
            hold = ledger_postings.dispute_opened(f"dp_{index}", amounts.gross, NOW)
            won = draw(st.booleans())
            closing = (
                ledger_postings.dispute_won(hold, f"dp_{index}", NOW)
                if won
                else ledger_postings.dispute_lost(f"dp_{index}", amounts, NOW)
            )
            result += [hold, closing]
    return result


@given(st.data())
def test_every_transaction_balances_and_all_accounts_sum_to_zero_per_currency(data: st.DataObject) -> None:
    currency = data.draw(currencies)
    transactions = data.draw(movements(currency))
    for transaction in transactions:
        assert sum(entry.amount.amount_minor for entry in transaction.entries) == 0
        assert all(entry.amount.currency == currency for entry in transaction.entries)
    assert sum(balance.amount_minor for balance in balances(transactions, currency).values()) == 0
