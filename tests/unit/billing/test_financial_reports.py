"""The report builders and the report period: days folded into weeks and months, totals per
currency that are the rows' sums, payables that close at the ledger's balance."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.billing.financial_reports import (
    CreditedTax,
    InvoicedLine,
    LedgerMovement,
    SellerBalance,
    fees_report,
    payables_report,
    refunds_report,
    revenue_report,
    tax_report,
)
from devforge.domain.billing.report_period import ReportPeriod, ReportPeriodInvalid

START = datetime(2026, 11, 1, tzinfo=UTC)
MONTHS = ReportPeriod.of(START, datetime(2027, 1, 1, tzinfo=UTC), "month")
WEEKS = ReportPeriod.of(START, datetime(2026, 12, 1, tzinfo=UTC), "week")
DEV = str(uuid4())


@pytest.mark.parametrize(
    ("start", "end", "interval", "field"),
    [
        (START, START, "month", "to"),
        (START, START - timedelta(days=1), "month", "to"),
        (START, START + timedelta(days=367), "month", "to"),
        (START, START + timedelta(days=93), "day", "interval"),
        (START, START + timedelta(days=7), "year", "interval"),
        (START.replace(tzinfo=None), START + timedelta(days=7), "week", "from"),
        (START, (START + timedelta(days=7)).replace(tzinfo=None), "week", "to"),
    ],
)
def test_a_period_a_report_cannot_span_is_refused_naming_the_field(
    start: datetime, end: datetime, interval: str, field: str
) -> None:
    with pytest.raises(ReportPeriodInvalid) as refused:
        ReportPeriod.of(start, end, interval)
    assert refused.value.field == field


def test_moments_are_read_in_utc_and_days_fold_into_weeks_and_months() -> None:
    paris = timezone(timedelta(hours=1))
    period = ReportPeriod.of(datetime(2026, 11, 1, 1, tzinfo=paris), datetime(2026, 11, 8, tzinfo=UTC), "week")
    assert period.start == datetime(2026, 11, 1, tzinfo=UTC)
    assert WEEKS.bucket(date(2026, 11, 5)) == date(2026, 11, 2)  # Monday
    assert MONTHS.bucket(date(2026, 11, 30)) == date(2026, 11, 1)


def line(day: date, currency: str, product: str, net: int, tax: int, country: str = "DE") -> InvoicedLine:
    return InvoicedLine(day, currency, product, None, country, "", 1, net, tax, net + tax)


def test_revenue_by_month_currency_and_product_with_totals_per_currency() -> None:
    report = revenue_report(
        MONTHS,
        [
            line(date(2026, 11, 3), "EUR", "editor-pro", 1000, 190),
            line(date(2026, 11, 20), "EUR", "editor-pro", 2000, 380),
            line(date(2026, 12, 1), "EUR", "editor-pro", 500, 95),
            line(date(2026, 11, 3), "USD", "ext-lint", 700, 0),
        ],
    )
    assert report.rows == (
        ("2026-11-01", "EUR", "editor-pro", "", 2, 3000, 570, 3570),
        ("2026-11-01", "USD", "ext-lint", "", 1, 700, 0, 700),
        ("2026-12-01", "EUR", "editor-pro", "", 1, 500, 95, 595),
    )
    assert report.totals == (("", "EUR", "", "", 3, 3500, 665, 4165), ("", "USD", "", "", 1, 700, 0, 700))


def move(kind: str, account: str, amount: int, day: date = date(2026, 11, 2), currency: str = "EUR") -> LedgerMovement:
    return LedgerMovement(day, currency, kind, account, amount, 1)


def test_refunds_and_chargebacks_fees_and_tax() -> None:
    movements = [
        move("refund", "processor_clearing", -1190),
        move("refund", "tax_payable", 190),
        move("refund", f"seller_payable:{DEV}", 490),
        move("refund", "refunds", 510),
        move("dispute_lost", "disputes", -2380),
        move("dispute_lost", "tax_payable", 380),
        move("dispute_lost", "refunds", 2000),
        move("fee", "processor_fees", 320),
        move("fee", "processor_clearing", -320),
        move("fee_true_up", "processor_fees", -30),
        move("sale", "processor_clearing", 5000),
    ]
    assert refunds_report(MONTHS, movements).rows == (
        ("2026-11-01", "EUR", "chargeback", 1, 2380, 380, 0),
        ("2026-11-01", "EUR", "refund", 1, 1190, 190, 490),
    )
    assert fees_report(MONTHS, movements).rows == (("2026-11-01", "EUR", 1, 320, -30, 290),)
    credited = [CreditedTax(date(2026, 11, 4), "EUR", "DE", "", 1, 1000, 190)]
    assert tax_report(MONTHS, [line(date(2026, 11, 2), "EUR", "p", 2000, 380)], credited).rows == (
        ("2026-11-01", "EUR", "DE", "", 380, 190, 190),
    )


@given(
    opening=st.integers(-10_000, 10_000),
    amounts=st.lists(
        st.tuples(
            st.sampled_from(["sale", "refund", "dispute_lost", "payout", "payout_returned", "services"]),
            st.integers(-5000, 5000),
        ),
        max_size=12,
    ),
)
def test_payables_close_at_the_ledger_balance(opening: int, amounts: list[tuple[str, int]]) -> None:
    account = f"seller_payable:{DEV}"
    report = payables_report(
        [SellerBalance("EUR", DEV, opening)] if opening else [],
        [move(kind, account, amount) for kind, amount in amounts] + [move("sale", "revenue", -1)],
    )
    if not opening and not amounts:
        assert report.rows == ()
        return
    [row] = report.rows
    assert row[:2] == (DEV, "EUR")
    assert row[-1] == -(opening + sum(amount for _, amount in amounts))  # owed: the credit balance, negated
    assert sum(row[2:-1]) == row[-1]  # type: ignore[arg-type]
