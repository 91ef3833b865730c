"""The one rounding rule of billing: half up (ties away from zero), applied once per document.

Why half up and not half even ("banker's"): half even only pays off when many roundings pile up,
because its ties cancel out on average. Billing never lets roundings pile up: a document is
rounded once (per tax rate), and every split of a rounded total is done by ``allocate``, which does
not round at all. With one rounding per document the bias argument is moot, and half up is the
commercial rounding people check invoices with (half a cent goes up), so anyone can recompute an
invoice by hand and get our figure. Ties go away from zero, so the rule is symmetric: a credit
rounds to exactly the negation of the charge it mirrors.

The arithmetic is exact: the value to round is a ``Fraction`` (an exact ``Decimal`` or ``int``
is converted without loss), and the result is an ``int`` of minor units. Rounding a quotient
through ``Decimal`` division would round twice (once to the context precision, then to the unit)
and can flip a tie; ``round_to_minor`` never does. Its answers equal
``Decimal.quantize(Decimal(1), rounding=ROUNDING)`` wherever that is exact (the tests check).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Final

from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate

ROUNDING: Final = ROUND_HALF_UP


def round_to_minor(value: Fraction | Decimal | int) -> int:
    """Round an exact number of minor units to the nearest integer; ties away from zero."""
    if isinstance(value, bool) or not isinstance(value, Fraction | Decimal | int):
        raise TypeError(f"Round an exact Fraction, Decimal or int, not {type(value).__name__}.")
    exact = Fraction(value)
    magnitude = abs(exact)
    rounded = (2 * magnitude.numerator + magnitude.denominator) // (2 * magnitude.denominator)
    return -rounded if exact < 0 else rounded


def apply_rate(money: Money, rate: Rate) -> Money:
    """``money * rate``, rounded once to the currency's minor unit."""
    return Money(round_to_minor(money.amount_minor * rate.value), money.currency)
