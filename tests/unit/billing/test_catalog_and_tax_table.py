"""The catalog's price rules, VAT id form, and the built-in tax table."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from devforge.adapters.tax.rates_table import US_STATE_BP, RatesTableTaxCalculator
from devforge.domain.billing.catalog import BillingInterval, CatalogProduct, Price, ProductKind
from devforge.domain.billing.countries import US_STATES
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import (
    CountryUnknown,
    PriceInvalid,
    PriceNotFound,
    ProductCodeInvalid,
)
from devforge.domain.billing.money import Money
from devforge.domain.billing.tax_quote import TaxAddress, TaxQuoteRequest
from devforge.domain.billing.vat_id import is_well_formed_vat_id

EUR, USD = Currency("EUR"), Currency("USD")


def product() -> CatalogProduct:
    return CatalogProduct(uuid4(), "editor-pro", "Pro", ProductKind.EDITOR_PLAN, None, 14, datetime.now(UTC))


def test_one_price_per_currency_and_interval() -> None:
    editor = product()
    editor.set_price(Price(Money(1000, EUR), BillingInterval.MONTH))
    editor.set_price(Price(Money(1200, EUR), BillingInterval.MONTH))
    assert [p.amount for p in editor.prices_in(EUR)] == [Money(1200, EUR)]
    with pytest.raises(PriceNotFound):
        editor.price_for(USD, BillingInterval.MONTH)


def test_bad_codes_and_prices_are_refused() -> None:
    with pytest.raises(ProductCodeInvalid):
        CatalogProduct(uuid4(), "Editor Pro", "Pro", ProductKind.EDITOR_PLAN, None, 14, datetime.now(UTC))
    with pytest.raises(ProductCodeInvalid):  # matched whole: "$" would let a final line feed through
        CatalogProduct(uuid4(), "editor-pro\n", "Pro", ProductKind.EDITOR_PLAN, None, 14, datetime.now(UTC))
    with pytest.raises(PriceInvalid):
        Price(Money(0, EUR), BillingInterval.ONE_TIME)


@pytest.mark.parametrize(
    ("country", "vat_id", "ok"),
    [("DE", "DE123456789", True), ("DE", "de 123.456.789", True), ("GR", "EL123456789", True),
     ("DE", "FR123456789", False), ("DE", "DE1", False), ("DE", "DE12345678901234", False)],
)  # fmt: skip
def test_vat_id_form(country: str, vat_id: str, ok: bool) -> None:
    assert is_well_formed_vat_id(country, vat_id) is ok


def request(
    country: str, amount: int, *, inclusive: bool, region: str | None = None, vat_id: str | None = None
) -> TaxQuoteRequest:
    currency = USD if country == "US" else EUR
    return TaxQuoteRequest(TaxAddress(country, region, vat_id), currency, (Money(amount, currency),), inclusive, "t")


async def test_eu_vat_is_carved_out_of_an_inclusive_price_and_added_to_an_exclusive_one() -> None:
    table = RatesTableTaxCalculator()
    inclusive = await table.quote(request("DE", 9900, inclusive=True))
    assert (inclusive.total.net.amount_minor, inclusive.total.tax.amount_minor, inclusive.total.gross.amount_minor) == (
        8319,
        1581,
        9900,
    )
    exclusive = await table.quote(request("FR", 10000, inclusive=False))
    assert (exclusive.total.tax.amount_minor, exclusive.total.gross.amount_minor) == (2000, 12000)


async def test_the_table_quotes_no_vat_only_under_a_reverse_charge_billing_decided() -> None:
    asked = request("DE", 10000, inclusive=False, vat_id="DE123456789")
    alone = await RatesTableTaxCalculator().quote(asked)
    assert not alone.reverse_charge and alone.total.tax.amount_minor == 1900  # a VAT id alone proves nothing
    decided = await RatesTableTaxCalculator().quote(replace(asked, reverse_charge=True))
    assert decided.reverse_charge and decided.total.tax.is_zero


async def test_us_sales_tax_is_by_state() -> None:
    table = RatesTableTaxCalculator()
    assert (await table.quote(request("US", 10000, inclusive=False, region="CA"))).total.tax.amount_minor == 725
    assert (await table.quote(request("US", 10000, inclusive=False, region="OR"))).total.tax.is_zero
    with pytest.raises(CountryUnknown):
        await table.quote(request("US", 10000, inclusive=False, region="ZZ"))


def test_the_table_has_a_rate_for_every_us_state_a_region_may_name_and_no_other() -> None:
    assert US_STATE_BP.keys() == US_STATES and len(US_STATES) == 51
