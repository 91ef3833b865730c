"""Billing's view of the marketplace and of licensing, for selling extensions: who sells an
extension (its publisher, whose owner prices it), the licensing product a sale must license,
whether a licensing policy issues licenses of that product, and when a publisher joined (for a
first-days commission). Billing never reads their tables: bootstrap serves this port with the
marketplace's published ``ExtensionSales`` and licensing's published ``LicenseHoldings``
(``bootstrap/extension_sellers.py``). Not transactional: reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class SellableExtension:
    extension_id: UUID
    name: str
    publisher_id: UUID
    owner_id: UUID  # the publisher's owner: the one person who prices its extensions
    license_product_id: UUID | None  # None: a free extension


@dataclass(frozen=True, slots=True)
class Seller:
    """A publisher as billing sees it: the payee of its extensions' sales."""

    publisher_id: UUID
    name: str
    owner_id: UUID  # the one person who manages its prices, payouts, tax profile and statements
    verified: bool


class ExtensionSellers(Protocol):
    async def extension(self, extension_id: UUID) -> SellableExtension | None:
        """None for a missing or deleted extension."""
        ...

    async def policy_product(self, policy_id: UUID) -> UUID | None:
        """The licensing product a policy issues licenses of; None for no such policy."""
        ...

    async def publisher_joined_at(self, publisher_id: UUID) -> datetime | None: ...

    async def seller(self, publisher_id: UUID) -> Seller | None:
        """None for no such publisher."""
        ...

    async def sellers_owned_by(self, user_id: UUID) -> list[Seller]:
        """The publishers ``user_id`` owns (the payees whose money they manage)."""
        ...
