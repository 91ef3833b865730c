"""Rebuilding the marketplace's read models from scratch: every extension's, from its source
rows, with the code the consumers run (``MarketplaceReadModels``).

A rebuild walks the extensions in id order, one batch per transaction, and restates each one's
read model whatever it held before, so it needs nothing of what is there and the site keeps
serving while it runs. The download counts and rating summaries come first: a listing carries
their figures. Consumers may run meanwhile: each restatement locks the extension's row first, in
id order, so neither overwrites the other with older figures.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from uuid import UUID

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.ports import ExtensionRepository
from devforge.application.marketplace.read_models import MarketplaceReadModels


class ReadModel(StrEnum):
    DOWNLOADS = "downloads"
    RATINGS = "ratings"
    LISTINGS = "listings"


REBUILD_ORDER = (ReadModel.DOWNLOADS, ReadModel.RATINGS, ReadModel.LISTINGS)
BATCH = 200


class RebuildReadModels:
    def __init__(self, uow: UnitOfWork, extensions: ExtensionRepository, read_models: MarketplaceReadModels) -> None:
        self._uow, self._extensions, self._read_models = uow, extensions, read_models

    async def extensions(self) -> int:
        """How many extensions a rebuild walks (deleted ones too: their listings must go)."""
        return await self._extensions.count()

    async def batch(self, model: ReadModel, after: UUID | None, limit: int = BATCH) -> list[UUID]:
        """Restates ``model`` for the next ``limit`` extensions after ``after`` (in id order) and
        commits; the ids done, none when the walk is over."""
        ids = await self._extensions.ids(after=after, limit=limit)
        restate = self._restater(model)
        for extension_id in ids:
            await restate(extension_id)
        await self._uow.commit()
        return ids

    def _restater(self, model: ReadModel) -> Callable[[UUID], Awaitable[None]]:
        if model is ReadModel.DOWNLOADS:
            return self._read_models.downloads
        if model is ReadModel.RATINGS:
            return self._read_models.ratings
        return self._read_models.listing
