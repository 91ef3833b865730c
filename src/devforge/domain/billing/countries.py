"""Countries: ISO 3166-1 alpha-2 codes (the officially assigned ones, kept as data in
``iso_3166_1_alpha2.txt``), the EU member states, and the US states a region may name.

A code that is not on the list (``XX``, ``UK``, ``EL``, a user-assigned code such as ``XK``) is no
country: it is refused with ``CountryUnknown`` naming the field, never taxed at 0 %.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Final

from devforge.domain.billing.errors import CountryUnknown

EU_MEMBER_STATES: Final[frozenset[str]] = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip

US_STATES: Final[frozenset[str]] = frozenset(
    {
        "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID", "IL", "IN", "KS",
        "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV",
        "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VT", "WA", "WI", "WV", "WY",
    }
)  # fmt: skip
"""The 50 states and the District of Columbia, by USPS code: what a US buyer's ``region`` may be."""


@cache
def iso_country_codes() -> frozenset[str]:
    text = files("devforge.domain.billing").joinpath("iso_3166_1_alpha2.txt").read_text("utf-8")
    return frozenset(line.split("\t", 1)[0] for line in text.splitlines() if line and not line.startswith("#"))


def country_code(raw: str, *, field: str = "country") -> str:
    """The ISO code for ``raw`` (surrounding spaces and case ignored), or ``CountryUnknown``."""
    code = raw.strip().upper()
    if code not in iso_country_codes():
        raise CountryUnknown(f"{raw!r} is not an ISO 3166-1 alpha-2 country code.", field=field)
    return code
