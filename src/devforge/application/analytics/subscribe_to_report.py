"""An analytics reader subscribes to a report: each of its runs is mailed to them from then on."""

from __future__ import annotations

from devforge.application.analytics.ports import ReportSubscriptions
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.reports import ReportDefinition, report
from devforge.domain.shared.errors import NotPermitted


class SubscribeToReport:
    def __init__(self, subscriptions: ReportSubscriptions, clock: Clock, uow: UnitOfWork) -> None:
        self._subscriptions, self._clock, self._uow = subscriptions, clock, uow

    async def __call__(self, actor: Actor, report_key: str) -> ReportDefinition:
        if not actor.may(AnalyticsPermission.READ):
            raise NotPermitted("Only analytics readers subscribe to reports.")
        definition = report(report_key)
        await self._subscriptions.subscribe(definition.key, actor.user_id, self._clock.now())
        await self._uow.commit()
        return definition
