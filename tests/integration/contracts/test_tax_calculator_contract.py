"""One contract for the tax calculator: the built-in rates table and TaxJar (against a local
fake of its API) quote the same amounts to the minor unit, and commit and reverse idempotently."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from devforge.adapters.tax.rates_table import RatesTableTaxCalculator
from devforge.adapters.tax.taxjar_tax_calculator import TaxJarTaxCalculator, TaxServiceUnavailable
from devforge.application.billing.ports import TaxCalculator
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.money import Money
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_quote import TaxAddress, TaxQuoteRequest
from tests.fakes.taxjar_server import FakeTaxJar, running_taxjar


@pytest.fixture(scope="module")
def taxjar() -> Iterator[FakeTaxJar]:
    with running_taxjar() as fake:
        yield fake


@pytest.fixture(params=["rates_table", "taxjar"])
def calculator(request: pytest.FixtureRequest, taxjar: FakeTaxJar) -> TaxCalculator:
    if request.param == "taxjar":
        return TaxJarTaxCalculator(taxjar.api_token, taxjar.base_url)
    return RatesTableTaxCalculator()


def asked(
    country: str, *amounts: int, inclusive: bool = False, region: str | None = None, vat_id: str | None = None
) -> TaxQuoteRequest:
    currency = Currency("USD" if country in ("US", "JP") else "EUR")
    return TaxQuoteRequest(
        TaxAddress(country, region, vat_id), currency, tuple(Money(a, currency) for a in amounts), inclusive, "order-1"
    )


def triple(amounts: TaxedAmount) -> tuple[int, int, int]:
    return amounts.net.amount_minor, amounts.tax.amount_minor, amounts.gross.amount_minor


@pytest.mark.parametrize(
    ("request_", "lines", "total"),
    [
        (asked("DE", 9900, inclusive=True), [(8319, 1581, 9900)], (8319, 1581, 9900)),
        (asked("FI", 333, 333, 334), [(333, 85, 418), (333, 85, 418), (334, 85, 419)], (1000, 255, 1255)),
        (asked("US", 9900, region="CA"), [(9900, 718, 10618)], (9900, 718, 10618)),
        (asked("US", 9900, region="OR"), [(9900, 0, 9900)], (9900, 0, 9900)),
        (asked("JP", 5000), [(5000, 0, 5000)], (5000, 0, 5000)),
    ],
    ids=["de-inclusive", "fi-three-lines", "us-ca", "us-or", "jp-no-nexus"],
)
async def test_quotes_agree_to_the_minor_unit(
    calculator: TaxCalculator, request_: TaxQuoteRequest, lines: list[tuple[int, int, int]], total: tuple[int, int, int]
) -> None:
    quote = await calculator.quote(request_)
    assert [triple(line) for line in quote.lines] == lines
    assert triple(quote.total) == total
    assert not quote.reverse_charge


async def test_the_reverse_charge_is_billings_decision_not_the_calculators(calculator: TaxCalculator) -> None:
    """A VAT id alone is VAT as usual; a request billing marked reverse-charged (VIES verified it,
    cross-border) is rate 0."""
    with_id = asked("FR", 10000, vat_id="FR12345678901")
    assert triple((await calculator.quote(with_id)).total) == (10000, 2000, 12000)
    quote = await calculator.quote(replace(with_id, reverse_charge=True))
    assert quote.reverse_charge and triple(quote.total) == (10000, 0, 10000)


async def test_commit_and_reverse_are_idempotent(calculator: TaxCalculator) -> None:
    eur = Currency("EUR")
    address = TaxAddress("DE")
    total = TaxedAmount.of(Money(8319, eur), Money(1581, eur))
    refund = TaxedAmount.of(Money(840, eur), Money(160, eur))
    for _ in range(2):
        await calculator.commit("order-42", address, total)
        await calculator.reverse("order-42", "order-42:refund:1000", address, refund)


async def test_taxjar_errors_are_not_mistaken_for_a_zero_rate(taxjar: FakeTaxJar) -> None:
    taxjar.fail_next = 503
    with pytest.raises(TaxServiceUnavailable):
        await TaxJarTaxCalculator(taxjar.api_token, taxjar.base_url).quote(asked("DE", 100))
    with pytest.raises(TaxServiceUnavailable):
        await TaxJarTaxCalculator("wrong-token", taxjar.base_url).quote(asked("DE", 100))


async def test_taxjar_records_the_sale_and_the_refund(taxjar: FakeTaxJar) -> None:
    eur = Currency("EUR")
    calculator = TaxJarTaxCalculator(taxjar.api_token, taxjar.base_url)
    await calculator.commit("order-7", TaxAddress("DE"), TaxedAmount.of(Money(8319, eur), Money(1581, eur)))
    await calculator.reverse(
        "order-7", "order-7:refund:9900", TaxAddress("DE"), TaxedAmount.of(Money(8319, eur), Money(1581, eur))
    )
    assert str(taxjar.orders["order-7"]["amount"]) == "83.19" and str(taxjar.orders["order-7"]["sales_tax"]) == "15.81"
    assert taxjar.refunds["order-7:refund:9900"]["transaction_reference_id"] == "order-7"
