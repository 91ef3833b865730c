from __future__ import annotations

from uuid import UUID

from devforge.application.analytics.ports import IngestionKeyRepository
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.errors import IngestionKeyNotFound
from devforge.domain.analytics.ingestion_key import IngestionKey
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted


class RevokeIngestionKey:
    """A revoked key is refused from then on (within the processes' key memo, at most a minute:
    see ``IngestionCredentials``). Revoking twice keeps the first time."""

    def __init__(self, keys: IngestionKeyRepository, clock: Clock, uow: UnitOfWork) -> None:
        self._keys, self._clock, self._uow = keys, clock, uow

    async def __call__(self, actor: Actor, key_id: UUID) -> IngestionKey:
        if not actor.may(AnalyticsPermission.KEYS_MANAGE):
            raise NotPermitted("Only analytics administrators revoke ingestion keys.")
        key = await self._keys.get(key_id)
        if key is None:
            raise IngestionKeyNotFound("No such ingestion key.")
        key.revoke(self._clock.now())
        await self._keys.update(key)
        await self._uow.commit()
        return key
