from __future__ import annotations

from devforge.application.analytics.ports import AnalyticsAdminReads
from devforge.application.common.actor import Actor
from devforge.domain.analytics.erasure import Erasure
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted

MAX_LISTED = 200


class ListErasures:
    """The latest erasures, newest first: who asked for whom, when, and what was removed."""

    def __init__(self, reads: AnalyticsAdminReads) -> None:
        self._reads = reads

    async def __call__(self, actor: Actor, limit: int = 50) -> list[Erasure]:
        if not actor.may(AnalyticsPermission.ERASE):
            raise NotPermitted("Only administrators see erasures.")
        return await self._reads.erasures(min(max(limit, 1), MAX_LISTED))
