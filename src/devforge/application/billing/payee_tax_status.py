"""``PayeeTaxStatus`` served by the tax profiles: whether a payee has a form on file, and the
share of each payout withheld (``WithholdingRates``: 0 for a W-9 with a TIN, 24 % backup
withholding without one, the country's rate lowered by a treaty claim for a W-8). No profile: no
form, nothing to withhold from, since the payout run skips the payee."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.payout_ports import PayeeTax
from devforge.application.billing.tax_profile_ports import TaxProfileRepository
from devforge.domain.billing.withholding import WithholdingRates


class TaxProfilePayeeTaxStatus:
    def __init__(self, profiles: TaxProfileRepository, rates: WithholdingRates) -> None:
        self._profiles, self._rates = profiles, rates

    async def status(self, publisher_id: UUID) -> PayeeTax:
        profile = await self._profiles.get(publisher_id)
        if profile is None:
            return PayeeTax(has_profile=False, withholding_basis_points=0)
        return PayeeTax(has_profile=True, withholding_basis_points=self._rates.for_profile(profile))
