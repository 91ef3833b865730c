"""Who is reportable on Form 1099-K, Form 1099-NEC and DAC7, at and around each threshold."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from devforge.domain.billing.money import Money
from devforge.domain.billing.tax_errors import TaxYearUnknown
from devforge.domain.billing.tax_profile import ForeignEntityType, TaxForm, TaxProfile, UsEntityType, w8, w9
from devforge.domain.billing.tax_reports import (
    EUR,
    USD,
    PayeeSale,
    PayeeYear,
    dac7_sellers,
    forms_1099k,
    forms_1099nec,
    rules_for,
)

AT = datetime(2026, 1, 15, tzinfo=UTC)
RULES = rules_for(2026)


def us() -> TaxProfile:
    return w9(
        uuid4(),
        legal_name="A",
        entity_type=UsEntityType.INDIVIDUAL,
        tin=None,
        sealed_tin=None,
        address="a",
        signer_name="A",
        at=AT,
    )


def eu(country: str = "DE") -> TaxProfile:
    return w8(
        uuid4(),
        form=TaxForm.W8BEN_E,
        name="B",
        entity_type=ForeignEntityType.CORPORATION,
        country=country,
        address="b",
        treaty=None,
        signer_name="B",
        at=AT,
    )


def sales(count: int, total_minor: int, currency: str = "USD", months: int = 12) -> list[PayeeSale]:
    """``count`` sales summing exactly to ``total_minor``, spread over the months."""
    base, rest = divmod(total_minor, count)
    return [
        PayeeSale(
            datetime(2026, 1 + i % months, 10, tzinfo=UTC),
            Money.of(base + (1 if i < rest else 0), currency),
            Money.of(base + (1 if i < rest else 0), currency),
            Money.zero(currency),
        )
        for i in range(count)
    ]


def year(profile: TaxProfile, sold: list[PayeeSale], services: int = 0, withheld: int = 0) -> PayeeYear:
    return PayeeYear(profile, sold, Money.of(services, USD), Money.of(withheld, USD))


@pytest.mark.parametrize(
    ("count", "gross", "reported"),
    [
        (201, 2_000_001, True),  # over both
        (201, 2_000_000, False),  # exactly $20,000: not more than
        (200, 2_500_000, False),  # exactly 200 transactions: not more than
        (500, 1_999_999, False),
        (150, 9_000_000, False),
    ],
)
def test_1099k_needs_more_than_both_thresholds(count: int, gross: int, reported: bool) -> None:
    payee = year(us(), sales(count, gross))
    forms = forms_1099k(RULES, [payee])
    assert bool(forms) is reported
    if reported:
        assert forms[0].gross == Money.of(gross, USD) and forms[0].transactions == count
        assert Money.total(forms[0].monthly, USD) == forms[0].gross and len(forms[0].monthly) == 12


def test_1099k_counts_usd_payments_of_us_persons_only() -> None:
    assert not forms_1099k(RULES, [year(eu(), sales(300, 9_000_000))])
    assert not forms_1099k(RULES, [year(us(), sales(300, 9_000_000, "EUR"))])


@pytest.mark.parametrize(("paid", "reported"), [(200_000, True), (199_999, False), (1_000_000, True), (0, False)])
def test_1099nec_from_2000_dollars_of_services(paid: int, reported: bool) -> None:
    assert bool(forms_1099nec(RULES, [year(us(), [], services=paid)], set())) is reported


def test_1099nec_was_600_dollars_before_2026() -> None:
    assert forms_1099nec(rules_for(2025), [year(us(), [], services=60_000)], set())
    assert not forms_1099nec(RULES, [year(us(), [], services=60_000)], set())


def test_withholding_is_reported_once() -> None:
    payee = year(us(), sales(201, 2_000_001), services=300_000, withheld=12_345)
    k = forms_1099k(RULES, [payee])
    nec = forms_1099nec(RULES, [payee], {payee.profile.publisher_id})
    assert k[0].withheld == Money.of(12_345, USD) and nec[0].withheld == Money.zero(USD)
    alone = forms_1099nec(RULES, [year(us(), [], services=300_000, withheld=500)], set())
    assert alone[0].withheld == Money.of(500, USD)


@pytest.mark.parametrize(
    ("count", "consideration", "reported"),
    [
        (29, 199_999, False),  # under both de minimis thresholds
        (30, 1_000, True),  # exactly 30 sales
        (5, 200_000, True),  # exactly EUR 2,000
        (29, 200_000, True),
    ],
)
def test_dac7_reportable_unless_under_both_thresholds(count: int, consideration: int, reported: bool) -> None:
    assert bool(dac7_sellers(RULES, [year(eu(), sales(count, consideration, "EUR"))])) is reported


def test_dac7_is_for_eu_residents_and_counts_every_currency() -> None:
    assert not dac7_sellers(RULES, [year(eu("CH"), sales(100, 900_000, "EUR"))])
    assert not dac7_sellers(RULES, [year(us(), sales(100, 900_000, "EUR"))])
    mixed = sales(20, 100_000, "EUR") + sales(10, 100_000, "USD")
    [seller] = dac7_sellers(RULES, [year(eu("FR"), mixed)])
    assert seller.sales == 30 and seller.consideration == Money.of(100_000, EUR)
    assert sum(quarter.sales for quarter in seller.quarters) == 30
    assert Money.total((quarter.consideration for quarter in seller.quarters), EUR) == seller.consideration


def test_a_year_without_thresholds_is_unknown() -> None:
    with pytest.raises(TaxYearUnknown):
        rules_for(2019)
