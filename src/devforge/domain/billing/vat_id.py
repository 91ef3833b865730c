"""EU VAT identification numbers: their form, and what VIES said about one.

A well-formed number is its country prefix (the ISO code, but ``EL`` for Greece) followed by 2
to 12 letters or digits; spaces, dots and dashes are ignored. The form is only the first check:
whether the number is registered is VIES's answer (``VatIdCheck``), which decides the B2B
reverse charge (``reverse_charge.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

_BODY = re.compile(r"^[A-Z0-9]{2,12}$")
_PREFIX_OF = {"GR": "EL"}


def normalized_vat_id(vat_id: str) -> str:
    return re.sub(r"[\s.\-]", "", vat_id).upper()


def is_well_formed_vat_id(country: str, vat_id: str) -> bool:
    value = normalized_vat_id(vat_id)
    prefix = _PREFIX_OF.get(country.upper(), country.upper())
    return value.startswith(prefix) and bool(_BODY.match(value[len(prefix) :]))


def vat_id_parts(vat_id: str) -> tuple[str, str]:
    """(VIES member state code, number): ``DE123456789`` -> ``("DE", "123456789")``."""
    value = normalized_vat_id(vat_id)
    return value[:2], value[2:]


class VatIdStatus(StrEnum):
    VALID = "valid"  # VIES knows it as registered
    INVALID = "invalid"  # VIES answered that it is not
    UNVERIFIED = "unverified"  # no answer to be had (VIES or the member state down, busy, too slow)


@dataclass(frozen=True, slots=True)
class VatIdCheck:
    """One VIES consultation. ``consultation_number`` is the evidence VIES hands out (when the
    seller's own VAT id was sent as the requester) that the number was checked on ``checked_at``."""

    vat_id: str
    status: VatIdStatus
    checked_at: datetime | None = None
    consultation_number: str | None = None

    @property
    def valid(self) -> bool:
        return self.status is VatIdStatus.VALID
