"""What a tax calculator is asked and what it answers (the quote -> commit -> reverse shape
TaxJar and Stripe Tax share). The lines of one quote are taxed as one document, rounded once
per rate (``tax_document``), so the quote's total is exactly the sum of its lines."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.domain.billing.countries import country_code
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import DocumentLinesMissing
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate
from devforge.domain.billing.tax import TaxedAmount


@dataclass(frozen=True, slots=True)
class TaxAddress:
    """Where the buyer is: an ISO 3166-1 alpha-2 country on the list (any other code is refused,
    ``CountryUnknown`` naming ``country``), and for the US the state code."""

    country: str
    region: str | None = None
    vat_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "country", country_code(self.country))


@dataclass(frozen=True, slots=True)
class TaxQuoteRequest:
    """``amounts`` are the line amounts (quantity included), gross when ``prices_include_tax``.
    ``reverse_charge`` is billing's decision (``reverse_charge.py``, on VIES's word): the buyer
    accounts for the VAT, so the calculator quotes rate 0 for an EU buyer."""

    address: TaxAddress
    currency: Currency
    amounts: tuple[Money, ...]
    prices_include_tax: bool
    reference: str
    reverse_charge: bool = False

    def __post_init__(self) -> None:
        if not self.amounts:
            raise DocumentLinesMissing("A tax quote has at least one line.", field="lines")


@dataclass(frozen=True, slots=True)
class TaxQuote:
    """``quote_id`` is what ``commit`` and ``reverse`` name; ``reverse_charge`` means the buyer
    accounts for the VAT (rate 0 here, and the invoice says so)."""

    quote_id: str
    rate: Rate
    lines: tuple[TaxedAmount, ...]
    total: TaxedAmount
    reverse_charge: bool
    jurisdiction: str
