"""Where the marketplace meets licensing: the marketplace's ``EntitlementCheck`` port, served by
licensing's published ``LicenseHoldings``. Only the composition root sees both contexts."""

from __future__ import annotations

from uuid import UUID

from devforge.application.licensing.holdings import LicenseHoldings


class LicensingEntitlementCheck:
    def __init__(self, holdings: LicenseHoldings) -> None:
        self._holdings = holdings

    async def holds(self, user_id: UUID, product_id: UUID) -> bool:
        return await self._holdings.holds(user_id, product_id)

    async def product_owner(self, product_id: UUID) -> UUID | None:
        return await self._holdings.product_owner(product_id)
