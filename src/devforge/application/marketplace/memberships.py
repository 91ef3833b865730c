"""The marketplace's published read interface for analytics (bootstrap serves analytics'
``FigureOwners`` with it: ``bootstrap/figure_owners.py``): which publishers a user is a member of,
and their extensions, so a developer's figures cover exactly those. Reads only; deleted
extensions stay listed (their past figures are still the developer's)."""

from __future__ import annotations

from uuid import UUID

from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository


class PublisherMemberships:
    def __init__(self, extensions: ExtensionRepository, publishers: PublisherRepository) -> None:
        self._extensions, self._publishers = extensions, publishers

    async def publishers_of(self, user_id: UUID) -> frozenset[UUID]:
        return frozenset(publisher.id for publisher in await self._publishers.list_for_member(user_id))

    async def extensions_of(self, user_id: UUID) -> frozenset[UUID]:
        publishers = sorted(await self.publishers_of(user_id))
        if not publishers:
            return frozenset()
        return frozenset(extension.id for extension in await self._extensions.list_for_publishers(publishers))
