from __future__ import annotations

from devforge.application.analytics.ports import AnalyticsAdminReads
from devforge.application.common.actor import Actor
from devforge.domain.analytics.ingestion_key import IngestionKey
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted


class ListIngestionKeys:
    """Every ingestion key, newest first, revoked ones too (their prefix, never a secret)."""

    def __init__(self, reads: AnalyticsAdminReads) -> None:
        self._reads = reads

    async def __call__(self, actor: Actor) -> list[IngestionKey]:
        if not actor.may(AnalyticsPermission.KEYS_MANAGE):
            raise NotPermitted("Only analytics administrators see ingestion keys.")
        return await self._reads.ingestion_keys()
