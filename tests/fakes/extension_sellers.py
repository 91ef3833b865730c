"""Billing's view of the marketplace and licensing (``ExtensionSellers``), as plain dictionaries."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from devforge.application.billing.extension_sellers import SellableExtension, Seller


class FakeExtensionSellers:
    def __init__(self) -> None:
        self.extensions: dict[UUID, SellableExtension] = {}
        self.policies: dict[UUID, UUID] = {}
        self.joined: dict[UUID, datetime] = {}
        self.sellers: dict[UUID, Seller] = {}

    async def extension(self, extension_id: UUID) -> SellableExtension | None:
        return self.extensions.get(extension_id)

    async def policy_product(self, policy_id: UUID) -> UUID | None:
        return self.policies.get(policy_id)

    async def publisher_joined_at(self, publisher_id: UUID) -> datetime | None:
        return self.joined.get(publisher_id)

    async def seller(self, publisher_id: UUID) -> Seller | None:
        return self.sellers.get(publisher_id)

    async def sellers_owned_by(self, user_id: UUID) -> list[Seller]:
        return [s for s in self.sellers.values() if s.owner_id == user_id]
