"""Hypothesis strategies for the money kernel: currencies, amounts, rates and invoice lines."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from devforge.domain.billing.currency import Currency, all_currencies
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate

currencies = st.sampled_from(all_currencies())

# Up to ten billion major units of a three-decimal currency: far beyond any real invoice.
amounts = st.integers(min_value=-(10**13), max_value=10**13)
non_negative_amounts = st.integers(min_value=0, max_value=10**13)


@st.composite
def money(draw: st.DrawFn, currency: Currency | None = None, *, non_negative: bool = False) -> Money:
    unit = currency or draw(currencies)
    return Money(draw(non_negative_amounts if non_negative else amounts), unit)


# Real tax rates (whole, half and US-style thousandth percents) and arbitrary exact ones.
basis_points = st.integers(min_value=0, max_value=10_000)
rates = st.one_of(
    basis_points.map(Rate.from_basis_points),
    st.integers(min_value=0, max_value=30_000).map(lambda thousandths: Rate(Fraction(thousandths, 100_000))),
    st.fractions(min_value=0, max_value=2, max_denominator=10_000).map(Rate),
)

weights = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12)


@st.composite
def line_amounts(draw: st.DrawFn, currency: Currency, *, max_lines: int = 8) -> list[Money]:
    """Non-negative line prices, small and large, in one currency."""
    values = draw(
        st.lists(
            st.one_of(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=10**9)),
            min_size=1,
            max_size=max_lines,
        )
    )
    return [Money(value, currency) for value in values]
