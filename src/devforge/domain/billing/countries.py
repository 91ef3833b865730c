"""Countries: ISO 3166-1 alpha-2 codes (the officially assigned ones, kept as data in
``iso_3166_1_alpha2.txt``) and the EU member states.

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
