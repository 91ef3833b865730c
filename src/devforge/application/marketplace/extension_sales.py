"""The marketplace's published read interface for billing (bootstrap wires it to billing's
``ExtensionSellers`` port; contexts never import each other): who sells an extension, which
licensing product a sale of it must license, and when its publisher joined. Reads only; a
publisher is read on the catalogue's committed reads (``CatalogReader``, no unit of work): who
owns it decides who may read its statements, revenue and tax forms on every such request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.marketplace.ports import CatalogReader, ExtensionRepository, PublisherRepository


@dataclass(frozen=True, slots=True)
class ExtensionOnSale:
    extension_id: UUID
    display_name: str
    publisher_id: UUID
    publisher_owner_id: UUID
    publisher_joined_at: datetime
    license_product_id: UUID | None  # None: a free extension, nothing to sell


@dataclass(frozen=True, slots=True)
class PublisherOnSale:
    publisher_id: UUID
    display_name: str
    owner_id: UUID  # the one person who prices its extensions and manages its payouts
    verified: bool
    joined_at: datetime


class ExtensionSales:
    def __init__(
        self, extensions: ExtensionRepository, publishers: PublisherRepository, catalog: CatalogReader
    ) -> None:
        self._extensions, self._publishers, self._catalog = extensions, publishers, catalog

    async def extension(self, extension_id: UUID) -> ExtensionOnSale | None:
        """None for an extension that does not exist or is deleted."""
        extension = await self._extensions.get(extension_id)
        if extension is None or extension.deleted:
            return None
        publisher = await self._publishers.get(extension.publisher_id)
        if publisher is None:
            return None
        return ExtensionOnSale(
            extension_id=extension.id,
            display_name=extension.display_name,
            publisher_id=publisher.id,
            publisher_owner_id=publisher.owner_id,
            publisher_joined_at=publisher.created_at,
            license_product_id=extension.license_product_id,
        )

    async def publisher(self, publisher_id: UUID) -> PublisherOnSale | None:
        found = await self._catalog.publisher(publisher_id)
        if found is None:
            return None
        return PublisherOnSale(found.id, found.display_name, found.owner_id, found.verified, found.created_at)

    async def publishers_owned_by(self, user_id: UUID) -> list[PublisherOnSale]:
        """The publishers whose owner is ``user_id`` (a member who is not the owner manages no money)."""
        owned = [p for p in await self._publishers.list_for_member(user_id) if p.owner_id == user_id]
        return [PublisherOnSale(p.id, p.display_name, p.owner_id, p.verified, p.created_at) for p in owned]

    async def publisher_joined_at(self, publisher_id: UUID) -> datetime | None:
        """When the publisher registered on the marketplace (a first-days commission counts from it)."""
        publisher = await self._publishers.get(publisher_id)
        return publisher.created_at if publisher else None
