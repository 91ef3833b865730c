"""A publisher's owner reads its tax profile, the TIN masked. Anyone else's publisher, or one
without a profile, answers 404."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.application.billing.tax_profile_ports import TaxProfileReads
from devforge.application.billing.tax_profile_view import TaxProfileView
from devforge.application.common.actor import Actor
from devforge.domain.billing.tax_errors import PayeeNotFound, TaxProfileNotFound
from devforge.domain.billing.withholding import WithholdingRates


class GetTaxProfile:
    def __init__(self, profiles: TaxProfileReads, sellers: ExtensionSellers, rates: WithholdingRates) -> None:
        self._profiles, self._sellers, self._rates = profiles, sellers, rates

    async def __call__(self, actor: Actor, publisher_id: UUID) -> TaxProfileView:
        seller = await self._sellers.seller(publisher_id)
        if seller is None or seller.owner_id != actor.user_id:
            raise PayeeNotFound("No publisher you own has this id.", field="publisherId")
        profile = await self._profiles.get(publisher_id)
        if profile is None:
            raise TaxProfileNotFound("This publisher has no tax profile yet.")
        return TaxProfileView.of(profile, self._rates)
