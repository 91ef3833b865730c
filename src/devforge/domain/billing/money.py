"""Money: an integer number of minor units in one currency.

Rules:
- the amount is an ``int`` and only an ``int``: a float, a ``Decimal``, a ``Fraction`` or a
  ``bool`` is refused with ``TypeError`` at construction, so no inexact value can ever enter;
- amounts add, subtract and compare only within one currency; mixing raises ``CurrencyMismatch``
  (equality across currencies is simply ``False``);
- money multiplies by an ``int`` only; dividing is ``allocation.allocate``'s job, so that no minor
  unit is lost, and applying a rate is ``rounding.apply_rate``'s, so that it is rounded once;
- ``Money.parse`` reads major units written with a point (``"12.34"``, ``"-0.5"``, ``"1,234.5"``)
  and refuses more decimals than the currency's exponent allows (``"12.345"`` USD, ``"5.0"`` JPY)
  instead of rounding them away;
- ``format()`` is locale-free: comma thousands, point decimals, the ISO code after the amount
  (``"1,234.56 USD"``, ``"1,234 JPY"``, ``"-0.500 KWD"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import AmountMalformed, AmountNotRepresentable, CurrencyMismatch

_MAJOR_UNITS = re.compile(r"(-)?([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?", re.ASCII)
_MAX_TEXT_LENGTH = 64


def _currency(currency: Currency | str) -> Currency:
    return currency if isinstance(currency, Currency) else Currency.of(currency)


@dataclass(frozen=True, slots=True)
class Money:
    amount_minor: int
    currency: Currency

    def __post_init__(self) -> None:
        if type(self.amount_minor) is not int:
            raise TypeError(f"Money takes an int of minor units, not {type(self.amount_minor).__name__}.")
        if not isinstance(self.currency, Currency):
            raise TypeError(f"Money takes a Currency, not {type(self.currency).__name__}.")

    @classmethod
    def of(cls, amount_minor: int, currency: Currency | str) -> Money:
        return cls(amount_minor, _currency(currency))

    @classmethod
    def zero(cls, currency: Currency | str) -> Money:
        return cls(0, _currency(currency))

    @classmethod
    def total(cls, amounts: Iterable[Money], currency: Currency | str) -> Money:
        """The sum of ``amounts``, all in ``currency`` (zero when there are none)."""
        result = cls.zero(currency)
        for amount in amounts:
            result = result + amount
        return result

    @classmethod
    def parse(cls, text: str, currency: Currency | str) -> Money:
        """Read an amount in major units; never rounds."""
        if not isinstance(text, str):
            raise TypeError(f"Parse text, not {type(text).__name__}; Money(amount_minor, currency) takes ints.")
        unit = _currency(currency)
        match = _MAJOR_UNITS.fullmatch(text.strip()) if len(text) <= _MAX_TEXT_LENGTH else None
        if match is None:
            raise AmountMalformed(f"Write the amount like 1234.56, not {text[:20]!r}.", field="amount")
        sign, whole, decimals = match.group(1), match.group(2).replace(",", ""), match.group(3) or ""
        if len(decimals) > unit.exponent:
            raise AmountNotRepresentable(
                f"{unit.code} allows {unit.exponent} decimal places; {text.strip()!r} has {len(decimals)}.",
                field="amount",
            )
        minor = int(whole) * unit.minor_units_per_major + int(decimals.ljust(unit.exponent, "0") or "0")
        return cls(-minor if sign else minor, unit)

    def _same_currency(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"Money combines only with Money, not {type(other).__name__}.")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"Cannot combine {self.currency} with {other.currency}.", field="currency")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount_minor, self.currency)

    def __mul__(self, factor: int) -> Money:
        if type(factor) is not int:
            raise TypeError(f"Money multiplies by an int only, not {type(factor).__name__}; use apply_rate.")
        return Money(self.amount_minor * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount_minor < other.amount_minor

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount_minor <= other.amount_minor

    def __gt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount_minor > other.amount_minor

    def __ge__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount_minor >= other.amount_minor

    @property
    def is_zero(self) -> bool:
        return self.amount_minor == 0

    @property
    def is_negative(self) -> bool:
        return self.amount_minor < 0

    def to_decimal(self) -> Decimal:
        """The exact amount in major units (``Decimal("12.34")``), for providers that want one."""
        return Decimal(self.amount_minor).scaleb(-self.currency.exponent)

    def major_units_text(self, *, grouped: bool = False) -> str:
        """The amount in major units with exactly ``exponent`` decimals: ``"1234.50"``."""
        whole, fraction = divmod(abs(self.amount_minor), self.currency.minor_units_per_major)
        text = f"{whole:,}" if grouped else str(whole)
        if self.currency.exponent:
            text += "." + str(fraction).zfill(self.currency.exponent)
        return "-" + text if self.amount_minor < 0 else text

    def format(self) -> str:
        return f"{self.major_units_text(grouped=True)} {self.currency.code}"

    def __str__(self) -> str:
        return self.format()
