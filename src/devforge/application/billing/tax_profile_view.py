"""A tax profile as its owner sees it: the TIN masked, the withholding it means."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.billing.tax_profile import TaxForm, TaxProfile, TreatyClaim
from devforge.domain.billing.withholding import WithholdingRates


@dataclass(frozen=True, slots=True)
class TaxProfileView:
    publisher_id: UUID
    form: TaxForm
    name: str
    entity_type: str
    country: str
    address: str
    tin_type: str | None
    tin_masked: str | None
    treaty: TreatyClaim | None
    signer_name: str
    certified_at: datetime
    withholding_basis_points: int

    @classmethod
    def of(cls, profile: TaxProfile, rates: WithholdingRates) -> TaxProfileView:
        tin = profile.tin
        return cls(
            profile.publisher_id,
            profile.form,
            profile.name,
            profile.entity_type,
            profile.country,
            profile.address,
            tin.kind.value if tin else None,
            tin.masked if tin else None,
            profile.treaty,
            profile.signer_name,
            profile.certified_at,
            rates.for_profile(profile),
        )
