"""EU VAT identification numbers, checked for form only (not against VIES).

A well-formed number is its country prefix (the ISO code, but ``EL`` for Greece) followed by 2
to 12 letters or digits; spaces, dots and dashes are ignored. Only the form is checked: the B2B
reverse charge rests on the buyer's declaration, which the invoice names.
"""

from __future__ import annotations

import re

_BODY = re.compile(r"^[A-Z0-9]{2,12}$")
_PREFIX_OF = {"GR": "EL"}


def normalized_vat_id(vat_id: str) -> str:
    return re.sub(r"[\s.\-]", "", vat_id).upper()


def is_well_formed_vat_id(country: str, vat_id: str) -> bool:
    value = normalized_vat_id(vat_id)
    prefix = _PREFIX_OF.get(country.upper(), country.upper())
    return value.startswith(prefix) and bool(_BODY.match(value[len(prefix) :]))
