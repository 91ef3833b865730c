"""The order only moves forward: provider reports arriving late, twice or out of order never undo
a payment, never pay twice, never shrink a refund and never reopen a closed dispute; a payment
of another amount or currency pays nothing and is flagged."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.events import (
    DisputeLost,
    DisputeOpened,
    DisputeWon,
    OrderPaid,
    OrderRefunded,
    PaymentMismatched,
)
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order, OrderLine, OrderStatus
from devforge.domain.billing.tax import tax_from_gross

NOW = datetime(2026, 3, 1, tzinfo=UTC)
EUR = Currency("EUR")
PAID = Money(9900, EUR)


def an_order(gross: int = 9900) -> Order:
    amounts = tax_from_gross(Money(gross, EUR), 1900)
    line = OrderLine("editor-pro", "Pro", None, BillingInterval.ONE_TIME, Money(gross, EUR), 1, amounts)
    return Order(
        id=uuid4(),
        user_id=uuid4(),
        email="buyer@example.com",
        currency=EUR,
        lines=(line,),
        total=amounts,
        prices_include_tax=True,
        tax_country="DE",
        tax_region=None,
        vat_id=None,
        reverse_charge=False,
        tax_quote_id="q",
        created_at=NOW,
        updated_at=NOW,
    )


def test_a_late_failure_never_undoes_a_payment() -> None:
    order = an_order()
    order.checkout_started("memory", "cs_1", "https://pay", NOW)
    assert order.pay("pi_1", Money(9900, EUR), NOW)
    assert not order.payment_failed(NOW)
    assert order.status is OrderStatus.PAID


def test_a_success_after_a_failure_pays_the_order() -> None:
    order = an_order()
    order.checkout_started("memory", "cs_1", "https://pay", NOW)
    assert order.payment_failed(NOW)
    assert order.pay("pi_1", PAID, NOW)
    assert order.status is OrderStatus.PAID


def test_paying_twice_records_order_paid_once() -> None:
    order = an_order()
    order.pay("pi_1", PAID, NOW)
    order.pay("pi_1", PAID, NOW)
    assert [type(e) for e in order.pull_events()] == [OrderPaid]


def test_a_payment_of_another_amount_fulfils_nothing_and_is_flagged_once() -> None:
    order = an_order()
    assert not order.pay("pi_1", Money(100, EUR), NOW)
    assert not order.pay("pi_1", Money(100, EUR), NOW)  # the same report again
    assert order.status is OrderStatus.PENDING and order.payment_id is None
    assert order.payment_problem == "Paid 1.00 EUR, but the order's total is 99.00 EUR."
    assert [type(e) for e in order.pull_events()] == [PaymentMismatched]


def test_the_same_figure_in_another_currency_pays_nothing() -> None:
    """29,900 JPY once paid a 299.00 USD order: the amounts were compared, the currencies not."""
    amounts = tax_from_gross(Money(29900, Currency("USD")), 0)
    line = OrderLine("editor-perpetual", "Perpetual", None, BillingInterval.ONE_TIME, amounts.gross, 1, amounts)
    order = replace(an_order(), currency=Currency("USD"), lines=(line,), total=amounts)
    assert not order.pay("pi_1", Money(29900, Currency("JPY")), NOW)
    assert order.status is OrderStatus.PENDING
    assert order.payment_problem == "Paid 29,900 JPY, but the order's total is 299.00 USD."
    assert [type(e) for e in order.pull_events()] == [PaymentMismatched]


def test_a_payment_reported_without_its_id_first_learns_it_later() -> None:
    order = an_order()
    assert order.pay("", PAID, NOW)
    assert not order.pay("pi_1", PAID, NOW)
    assert order.payment_id == "pi_1" and [type(e) for e in order.pull_events()] == [OrderPaid]


@given(st.lists(st.integers(min_value=0, max_value=12000), max_size=12))
def test_refunds_never_shrink_and_never_exceed_the_total(reported: list[int]) -> None:
    order = an_order()
    order.pay("pi_1", PAID, NOW)
    order.pull_events()
    for total in reported:
        order.refunded_to(Money(total, EUR), NOW)
    refunds = [e for e in order.pull_events() if isinstance(e, OrderRefunded)]
    expected = min(max(reported, default=0), 9900)
    assert sum(e.amount for e in refunds) == order.refunded_amount.amount_minor == expected
    assert [e.full for e in refunds].count(True) == (1 if expected == 9900 else 0)
    assert order.status is {0: OrderStatus.PAID, 9900: OrderStatus.REFUNDED}.get(
        expected, OrderStatus.PARTIALLY_REFUNDED
    )


def test_a_lost_dispute_is_published_once() -> None:
    order = an_order()
    order.pay("pi_1", PAID, NOW)
    order.dispute_opened("dp_1", PAID, NOW)
    order.dispute_opened("dp_1", PAID, NOW)  # a redelivered "opened": still one dispute
    order.dispute_closed("dp_1", True, PAID, NOW)
    order.dispute_closed("dp_1", True, PAID, NOW)
    order.dispute_opened("dp_1", PAID, NOW)  # an old "opened" read late: old news
    assert [type(e) for e in order.pull_events()] == [OrderPaid, DisputeOpened, DisputeLost]
    assert (order.disputed, order.dispute_lost) == (False, True)


def test_a_won_dispute_releases_its_hold_once_and_a_later_dispute_is_a_new_one() -> None:
    order = an_order()
    order.pay("pi_1", PAID, NOW)
    order.dispute_opened("dp_1", Money(5000, EUR), NOW)
    assert order.dispute_closed("dp_1", False, PAID, NOW)
    assert not order.dispute_closed("dp_1", False, PAID, NOW)  # closing again: nothing to release
    assert not order.dispute_opened("dp_1", PAID, NOW)  # the won one, read late: stays closed
    assert order.dispute_opened("dp_2", PAID, NOW)
    events = order.pull_events()
    assert [type(e) for e in events] == [OrderPaid, DisputeOpened, DisputeWon, DisputeOpened]
    assert [(e.amount, e.currency) for e in events if isinstance(e, DisputeOpened)] == [(5000, "EUR"), (9900, "EUR")]
