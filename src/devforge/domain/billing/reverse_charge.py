"""Who accounts for the VAT on a sale: the B2B reverse charge.

The reverse charge applies only to a cross-border sale between two EU businesses: the seller and
the buyer are both in EU member states, in different ones, and the buyer's VAT id is of the
buyer's country and registered according to VIES. Then no VAT is charged and the invoice says the
buyer accounts for it. Everything else is charged VAT as usual:
- a domestic buyer (same country as the seller), whatever VAT id they give;
- a buyer whose VAT id VIES says is not registered: refused (``VatIdInvalid`` naming ``vat_id``),
  so a typo is fixed rather than silently charged;
- a buyer whose VAT id could not be checked (VIES or the member state down): VAT is charged and
  the quote, the order and the invoice say so (``UNVERIFIED_NOTE``).
"""

from __future__ import annotations

from dataclasses import dataclass

from devforge.domain.billing.countries import EU_MEMBER_STATES
from devforge.domain.billing.errors import VatIdInvalid
from devforge.domain.billing.vat_id import VatIdCheck, VatIdStatus

UNVERIFIED_NOTE = "VAT id could not be verified, VAT charged."


def is_cross_border_eu_b2b(seller_country: str | None, buyer_country: str, vat_id: str | None) -> bool:
    """Whether the reverse charge is in question at all (and so VIES worth asking)."""
    return (
        bool(vat_id)
        and seller_country in EU_MEMBER_STATES
        and buyer_country in EU_MEMBER_STATES
        and seller_country != buyer_country
    )


@dataclass(frozen=True, slots=True)
class VatTreatment:
    """``check`` is VIES's answer when it was asked; ``note`` goes on the quote, order and invoice."""

    reverse_charge: bool = False
    check: VatIdCheck | None = None
    note: str | None = None


def vat_treatment(
    seller_country: str | None, buyer_country: str, vat_id: str | None, check: VatIdCheck | None
) -> VatTreatment:
    if not is_cross_border_eu_b2b(seller_country, buyer_country, vat_id) or check is None:
        return VatTreatment()
    if check.status is VatIdStatus.INVALID:
        raise VatIdInvalid(f"VIES does not know {check.vat_id} as a registered VAT id.", field="vat_id")
    if check.status is VatIdStatus.UNVERIFIED:
        return VatTreatment(reverse_charge=False, check=check, note=UNVERIFIED_NOTE)
    return VatTreatment(reverse_charge=True, check=check)
