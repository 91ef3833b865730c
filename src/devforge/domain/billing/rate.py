"""Rates (tax rates, revenue shares, discounts) held as exact fractions.

A rate is never a float: it is built from integer basis points (``1900`` = 19 %), from a decimal
number of basis points or percent (US sales tax such as 8.875 % needs one), or from a
``Fraction``. Whatever the spelling, equal rates are equal (``from_percent(19) ==
from_basis_points(1900)``), so rates can key a per-rate tax summary. Rates are never negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from devforge.domain.billing.errors import RateInvalid

BASIS_POINTS_PER_UNIT = 10_000


def _exact(value: int | Decimal | str, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise TypeError(f"A {what} is an int, a Decimal or a decimal string, not {type(value).__name__}.")
    try:
        return Fraction(Decimal(value) if isinstance(value, str) else value)
    except (ValueError, ArithmeticError) as error:
        raise RateInvalid(f"{value!r} is not a {what}.", field="rate") from error


@dataclass(frozen=True, slots=True)
class Rate:
    value: Fraction

    def __post_init__(self) -> None:
        if not isinstance(self.value, Fraction):
            raise TypeError(f"Rate holds a Fraction, not {type(self.value).__name__}.")
        if self.value < 0:
            raise RateInvalid("A rate cannot be negative.", field="rate")

    @classmethod
    def from_basis_points(cls, basis_points: int | Decimal | str) -> Rate:
        return cls(_exact(basis_points, "number of basis points") * Fraction(1, BASIS_POINTS_PER_UNIT))

    @classmethod
    def from_percent(cls, percent: int | Decimal | str) -> Rate:
        return cls(_exact(percent, "percentage") * Fraction(1, 100))

    @classmethod
    def zero(cls) -> Rate:
        return cls(Fraction(0))

    @property
    def percent(self) -> Fraction:
        return self.value * 100

    def __str__(self) -> str:
        """``"19 %"``, ``"8.875 %"``; a rate with no short decimal form shows as a fraction."""
        for places in range(13):
            scaled = self.percent * 10**places
            if scaled.denominator == 1:
                return f"{Decimal(scaled.numerator).scaleb(-places).normalize():f} %"
        return f"{self.percent} %"


def as_rate(rate: Rate | int) -> Rate:
    """Accept a ``Rate`` or an ``int`` of basis points (``1900`` = 19 %)."""
    if isinstance(rate, Rate):
        return rate
    if type(rate) is not int:
        raise TypeError(f"A rate is a Rate or int basis points, not {type(rate).__name__}.")
    return Rate.from_basis_points(rate)
