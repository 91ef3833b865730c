"""An admin makes a publishable ingestion key for an editor build (``analytics:manage``)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from devforge.application.analytics.ingestion_key_secrets import IngestionKeySecrets
from devforge.application.analytics.ports import IngestionKeyRepository
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.ingestion_key import IngestionKey
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted


@dataclass(frozen=True, slots=True)
class CreatedIngestionKey:
    key: IngestionKey
    secret: str
    """Shown once, at creation; only its digest is kept."""


class CreateIngestionKey:
    def __init__(
        self, keys: IngestionKeyRepository, secrets: IngestionKeySecrets, clock: Clock, uow: UnitOfWork
    ) -> None:
        self._keys, self._secrets, self._clock, self._uow = keys, secrets, clock, uow

    async def __call__(self, actor: Actor, name: str) -> CreatedIngestionKey:
        if not actor.may(AnalyticsPermission.KEYS_MANAGE):
            raise NotPermitted("Only analytics administrators make ingestion keys.")
        secret = self._secrets.new()
        key = IngestionKey.issue(uuid4(), name, secret, self._secrets.digest(secret), actor.user_id, self._clock.now())
        await self._keys.add(key)
        await self._uow.commit()
        return CreatedIngestionKey(key, secret)
