"""The built-in tax table (embedded profile, and the reference the TaxJar adapter is held to).

- EU: the standard VAT rate of the buyer's country (digital services are taxed where the buyer
  is), or rate 0 when the request says the reverse charge applies (billing decides that from a
  VIES-verified VAT id and where seller and buyer are; the calculator never guesses it).
- US: the state's base sales tax rate (no local rates; states that tax no sales answer 0).
- Anywhere else: no tax (the seller is not registered there).

Rates are basis points, exact; tax is computed on the whole quote and rounded once per rate.
``commit`` and ``reverse`` keep what they were told (there is no authority to report to here),
idempotent by transaction id.
"""

from __future__ import annotations

from typing import Final

from devforge.domain.billing.countries import US_STATES
from devforge.domain.billing.errors import CountryUnknown
from devforge.domain.billing.rate import Rate
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_document import tax_lines
from devforge.domain.billing.tax_quote import TaxAddress, TaxQuote, TaxQuoteRequest

EU_VAT_BP: Final[dict[str, int]] = {
    "AT": 2000, "BE": 2100, "BG": 2000, "CY": 1900, "CZ": 2100, "DE": 1900, "DK": 2500,
    "EE": 2400, "ES": 2100, "FI": 2550, "FR": 2000, "GR": 2400, "HR": 2500, "HU": 2700,
    "IE": 2300, "IT": 2200, "LT": 2100, "LU": 1700, "LV": 2100, "MT": 1800, "NL": 2100,
    "PL": 2300, "PT": 2300, "RO": 2100, "SE": 2500, "SI": 2200, "SK": 2300,
}  # fmt: skip

US_STATE_BP: Final[dict[str, int]] = {
    "AK": 0, "AL": 400, "AR": 650, "AZ": 560, "CA": 725, "CO": 290, "CT": 635, "DC": 600,
    "DE": 0, "FL": 600, "GA": 400, "HI": 400, "IA": 600, "ID": 600, "IL": 625, "IN": 700,
    "KS": 650, "KY": 600, "LA": 500, "MA": 625, "MD": 600, "ME": 550, "MI": 600, "MN": 688,
    "MO": 423, "MS": 700, "MT": 0, "NC": 475, "ND": 500, "NE": 550, "NH": 0, "NJ": 663,
    "NM": 488, "NV": 685, "NY": 400, "OH": 575, "OK": 450, "OR": 0, "PA": 600, "RI": 700,
    "SC": 600, "SD": 420, "TN": 700, "TX": 625, "UT": 610, "VA": 530, "VT": 600, "WA": 650,
    "WI": 500, "WV": 600, "WY": 400,
}  # fmt: skip


def rate_for(address: TaxAddress, reverse_charge: bool = False) -> tuple[Rate, bool, str]:
    """(rate, reverse charge, jurisdiction) for a buyer at ``address``."""
    country = address.country
    if country in EU_VAT_BP:
        if reverse_charge:
            return Rate.zero(), True, country
        return Rate.from_basis_points(EU_VAT_BP[country]), False, country
    if country == "US":
        if address.region is None:
            return Rate.zero(), False, "US"
        state = address.region.strip().upper()
        if state not in US_STATES:
            raise CountryUnknown(f"{address.region!r} is not a US state code.", field="region")
        return Rate.from_basis_points(US_STATE_BP[state]), False, f"US-{state}"
    return Rate.zero(), False, country


def quote_at(request: TaxQuoteRequest, rate: Rate, reverse_charge: bool, jurisdiction: str, quote_id: str) -> TaxQuote:
    document = tax_lines(request.amounts, rate, prices_include_tax=request.prices_include_tax)
    return TaxQuote(
        quote_id=quote_id,
        rate=rate,
        lines=document.lines,
        total=document.total,
        reverse_charge=reverse_charge,
        jurisdiction=jurisdiction,
    )


class RatesTableTaxCalculator:
    def __init__(self) -> None:
        self.committed: dict[str, TaxedAmount] = {}
        self.refunds: dict[str, TaxedAmount] = {}

    async def quote(self, request: TaxQuoteRequest) -> TaxQuote:
        rate, reverse_charge, jurisdiction = rate_for(request.address, request.reverse_charge)
        return quote_at(request, rate, reverse_charge, jurisdiction, f"table:{request.reference}")

    async def commit(self, transaction_id: str, address: TaxAddress, total: TaxedAmount) -> None:
        self.committed.setdefault(transaction_id, total)

    async def reverse(self, transaction_id: str, refund_id: str, address: TaxAddress, refunded: TaxedAmount) -> None:
        self.refunds.setdefault(refund_id, refunded)
