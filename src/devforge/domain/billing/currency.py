"""ISO 4217 currencies and their minor-unit exponent.

An amount of money is an integer count of its currency's minor unit; the exponent says how many
of those make a major unit (USD 2: 100 cents to the dollar; JPY 0: the yen has no subunit; KWD 3:
1000 fils to the dinar). The exponent here is ISO 4217's, which is what invoices and receipts show.
Where a payment provider counts differently (Stripe and ISK, for example) the conversion lives
with that provider's rules (``stripe_amounts``), never in the amount itself.

Only currencies listed in ``ISO_4217`` exist; any other code is refused with ``UnknownCurrency``
naming the ``currency`` field. Adding a currency is one line in the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from devforge.domain.billing.errors import UnknownCurrency

# code: (minor-unit exponent, English name), per ISO 4217.
ISO_4217: Final[dict[str, tuple[int, str]]] = {
    "AUD": (2, "Australian dollar"),
    "BHD": (3, "Bahraini dinar"),
    "BIF": (0, "Burundian franc"),
    "BRL": (2, "Brazilian real"),
    "CAD": (2, "Canadian dollar"),
    "CHF": (2, "Swiss franc"),
    "CLP": (0, "Chilean peso"),
    "CNY": (2, "Chinese yuan renminbi"),
    "CZK": (2, "Czech koruna"),
    "DJF": (0, "Djiboutian franc"),
    "DKK": (2, "Danish krone"),
    "EUR": (2, "Euro"),
    "GBP": (2, "Pound sterling"),
    "GNF": (0, "Guinean franc"),
    "HKD": (2, "Hong Kong dollar"),
    "HUF": (2, "Hungarian forint"),
    "INR": (2, "Indian rupee"),
    "ISK": (0, "Icelandic krona"),
    "JOD": (3, "Jordanian dinar"),
    "JPY": (0, "Japanese yen"),
    "KMF": (0, "Comorian franc"),
    "KRW": (0, "South Korean won"),
    "KWD": (3, "Kuwaiti dinar"),
    "MXN": (2, "Mexican peso"),
    "NOK": (2, "Norwegian krone"),
    "NZD": (2, "New Zealand dollar"),
    "OMR": (3, "Omani rial"),
    "PLN": (2, "Polish zloty"),
    "PYG": (0, "Paraguayan guarani"),
    "RWF": (0, "Rwandan franc"),
    "SEK": (2, "Swedish krona"),
    "SGD": (2, "Singapore dollar"),
    "TND": (3, "Tunisian dinar"),
    "TWD": (2, "New Taiwan dollar"),
    "UGX": (0, "Ugandan shilling"),
    "USD": (2, "United States dollar"),
    "VND": (0, "Vietnamese dong"),
    "VUV": (0, "Vanuatu vatu"),
    "XAF": (0, "Central African CFA franc"),
    "XOF": (0, "West African CFA franc"),
    "XPF": (0, "CFP franc"),
    "ZAR": (2, "South African rand"),
}


@dataclass(frozen=True, slots=True)
class Currency:
    """A currency from the table, identified by its upper-case ISO code; its exponent comes from
    the table, so two ``Currency`` values are equal exactly when their codes are."""

    code: str

    def __post_init__(self) -> None:
        if self.code not in ISO_4217:
            raise UnknownCurrency(f"{self.code!r} is not a currency we accept.", field="currency")

    @classmethod
    def of(cls, code: str) -> Currency:
        """Look a code up as callers and providers send it (``"usd"``, ``" EUR "``)."""
        if not isinstance(code, str):
            raise UnknownCurrency(f"{code!r} is not a currency code.", field="currency")
        return cls(code.strip().upper())

    @property
    def exponent(self) -> int:
        return ISO_4217[self.code][0]

    @property
    def name(self) -> str:
        return ISO_4217[self.code][1]

    @property
    def minor_units_per_major(self) -> int:
        return power_of_ten(self.exponent)

    def __str__(self) -> str:
        return self.code


def power_of_ten(exponent: int) -> int:
    """``10 ** exponent`` as an ``int`` (``**`` with a negative exponent would give a float)."""
    if exponent < 0:
        raise ValueError("Only non-negative powers of ten are whole numbers.")
    result = 1
    for _ in range(exponent):
        result *= 10
    return result


def all_currencies() -> list[Currency]:
    return [Currency(code) for code in sorted(ISO_4217)]
