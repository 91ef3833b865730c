"""Where billing meets the marketplace and licensing to sell extensions: billing's
``ExtensionSellers`` port, served by the marketplace's published ``ExtensionSales`` (who sells an
extension, its licensing product, when its publisher joined) and licensing's published
``LicenseHoldings`` (which product a policy licenses). Only the composition root sees all three."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from devforge.application.billing.extension_sellers import SellableExtension, Seller
from devforge.application.licensing.holdings import LicenseHoldings
from devforge.application.marketplace.extension_sales import ExtensionSales


class MarketplaceExtensionSellers:
    def __init__(self, sales: ExtensionSales, holdings: LicenseHoldings) -> None:
        self._sales, self._holdings = sales, holdings

    async def extension(self, extension_id: UUID) -> SellableExtension | None:
        found = await self._sales.extension(extension_id)
        if found is None:
            return None
        return SellableExtension(
            extension_id=found.extension_id,
            name=found.display_name,
            publisher_id=found.publisher_id,
            owner_id=found.publisher_owner_id,
            license_product_id=found.license_product_id,
        )

    async def policy_product(self, policy_id: UUID) -> UUID | None:
        return await self._holdings.policy_product(policy_id)

    async def publisher_joined_at(self, publisher_id: UUID) -> datetime | None:
        return await self._sales.publisher_joined_at(publisher_id)

    async def seller(self, publisher_id: UUID) -> Seller | None:
        found = await self._sales.publisher(publisher_id)
        return None if found is None else Seller(found.publisher_id, found.display_name, found.owner_id, found.verified)

    async def sellers_owned_by(self, user_id: UUID) -> list[Seller]:
        owned = await self._sales.publishers_owned_by(user_id)
        return [Seller(p.publisher_id, p.display_name, p.owner_id, p.verified) for p in owned]
