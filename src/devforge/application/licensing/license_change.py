"""The shape every management change of a license shares: find it by its id or its key and lock
it, check the caller manages it, apply one domain rule, store with the version check, record its
events, commit."""

from __future__ import annotations

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.lookup import LicenseRef, managed_license
from devforge.application.licensing.ports import LicenseKeyDigests, LicenseRepository, ProductRepository
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
        digests: LicenseKeyDigests,
        outbox: Outbox,
        cache: LicenseCache,
        clock: Clock,
    ) -> None:
        self._uow, self._licenses, self._products, self._outbox = uow, licenses, products, outbox
        self._digests, self._cache, self._clock = digests, cache, clock

    async def _change(self, actor: Actor, ref: LicenseRef, reason: str = "") -> LicenseView:
        return await retrying(self._uow, lambda: self._attempt(actor, ref, reason))

    async def _attempt(self, actor: Actor, ref: LicenseRef, reason: str) -> LicenseView:
        license = await managed_license(self._licenses, self._products, self._digests, ref, actor)
        self._apply(license, reason)
        await self._licenses.update(license)
        await record_events(self._outbox, license)
        await self._uow.commit()
        await self._cache.forget(license.key_digest)
        return LicenseView.of(license)

    def _apply(self, license: License, reason: str) -> None:
        raise NotImplementedError
