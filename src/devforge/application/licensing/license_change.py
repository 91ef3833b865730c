"""The shape every management change of a license shares: lock it, check the caller manages
it, apply one domain rule, store with the version check, record its events, commit."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.lookup import managed_license
from devforge.application.licensing.ports import LicenseRepository, ProductRepository
from devforge.application.licensing.publication import record_events
from devforge.application.licensing.retry import retrying
from devforge.application.licensing.views import LicenseView
from devforge.domain.licensing.license import License


class LicenseChange:
    def __init__(
        self,
        uow: UnitOfWork,
        licenses: LicenseRepository,
        products: ProductRepository,
        outbox: Outbox,
        cache: LicenseCache,
        clock: Clock,
    ) -> None:
        self._uow, self._licenses, self._products, self._outbox = uow, licenses, products, outbox
        self._cache, self._clock = cache, clock

    async def _change(self, actor: Actor, license_id: UUID, reason: str = "") -> LicenseView:
        return await retrying(self._uow, lambda: self._attempt(actor, license_id, reason))

    async def _attempt(self, actor: Actor, license_id: UUID, reason: str) -> LicenseView:
        license = await managed_license(self._licenses, self._products, license_id, actor)
        self._apply(license, reason)
        await self._licenses.update(license)
        await record_events(self._outbox, license)
        await self._uow.commit()
        await self._cache.forget(license.key_digest)
        return LicenseView.of(license)

    def _apply(self, license: License, reason: str) -> None:
        raise NotImplementedError
