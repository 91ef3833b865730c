"""The processor fee's rules: the estimate (basis points half up plus a fixed part, at most the
charge), and one true-up of the difference when the real fee arrives."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import CLEARING, PROCESSOR_FEES
from devforge.domain.billing.money import Money
from devforge.domain.billing.processor_fees import FeeRate, FeeSchedule, ProcessorFee, ReportedFee
from tests.unit.billing.documents import NOW

USD, EUR, JPY = Currency("USD"), Currency("EUR"), Currency("JPY")
STRIPE_US = FeeSchedule({USD: FeeRate(290, 30), JPY: FeeRate(360)}, FeeRate(290))


@pytest.mark.parametrize(
    ("charged", "fee"),
    [
        (Money(10_000, USD), Money(320, USD)),  # 2.9 % + 30 cents
        (Money(1_550, USD), Money(75, USD)),  # 44.95 -> 45, half up
        (Money(10, USD), Money(10, USD)),  # never more than the charge
        (Money(0, USD), Money(0, USD)),
        (Money(1_000, JPY), Money(36, JPY)),
        (Money(1_000, EUR), Money(29, EUR)),  # the default: basis points only
    ],
)
def test_the_estimate_is_the_rate_of_the_currency(charged: Money, fee: Money) -> None:
    assert STRIPE_US.estimate(charged) == fee


@given(amount=st.integers(1, 10**12), bp=st.integers(0, 10_000), fixed=st.integers(0, 10_000))
def test_an_estimate_is_never_negative_nor_more_than_the_charge(amount: int, bp: int, fixed: int) -> None:
    fee = FeeRate(bp, fixed).of(Money(amount, USD)).amount_minor
    assert 0 <= fee <= amount
    assert fee == min(amount, round_half_up(amount * bp, 10_000) + fixed)


def round_half_up(numerator: int, denominator: int) -> int:
    quotient, rest = divmod(numerator, denominator)
    return quotient + (1 if rest * 2 >= denominator else 0)


def test_a_rate_outside_0_to_10000_basis_points_or_a_negative_fixed_part_is_refused() -> None:
    for bad in ((-1, 0), (10_001, 0), (290, -1)):
        with pytest.raises(ValueError, match="basis points"):
            FeeRate(*bad)


def test_the_true_up_is_the_difference_and_is_answered_once() -> None:
    fee = ProcessorFee.estimate("pi_1", uuid4(), Money(10_000, USD), STRIPE_US, NOW)
    posting = fee.estimate_posting()
    assert posting is not None and posting.idempotency_id == "fee:pi_1"
    assert {e.account: e.amount for e in posting.entries} == {
        PROCESSOR_FEES: Money(320, USD),
        CLEARING: Money(-320, USD),
    }
    later = NOW + timedelta(hours=1)
    true_up = fee.settle(ReportedFee("txn_1", Money(290, USD)), later)
    assert true_up is not None and true_up.idempotency_id == "fee_true_up:pi_1"
    assert {e.account: e.amount for e in true_up.entries} == {PROCESSOR_FEES: Money(-30, USD), CLEARING: Money(30, USD)}
    assert fee.settle(ReportedFee("txn_1", Money(999, USD)), later) is None
    assert (fee.actual, fee.settled_at) == (Money(290, USD), later)


def test_a_right_estimate_a_zero_estimate_and_a_converted_fee() -> None:
    right = ProcessorFee.estimate("pi_1", uuid4(), Money(10_000, USD), STRIPE_US, NOW)
    assert right.settle(ReportedFee("txn_1", Money(320, USD)), NOW) is None and right.settled
    free = ProcessorFee.estimate("pi_2", uuid4(), Money(0, USD), STRIPE_US, NOW)
    assert free.estimate_posting() is None
    late = free.settle(ReportedFee("txn_2", Money(30, USD)), NOW)
    assert late is not None and {e.account: e.amount for e in late.entries}[PROCESSOR_FEES] == Money(30, USD)
    converted = ProcessorFee.estimate("pi_3", uuid4(), Money(10_000, USD), STRIPE_US, NOW)
    assert converted.settle(ReportedFee("txn_3", Money(300, EUR)), NOW) is None
    assert converted.settled and converted.actual == Money(300, EUR)
