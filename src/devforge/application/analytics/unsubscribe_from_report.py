"""A subscriber stops receiving a report's runs (unsubscribing twice is harmless)."""

from __future__ import annotations

from devforge.application.analytics.ports import ReportSubscriptions
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.reports import ReportDefinition, report
from devforge.domain.shared.errors import NotPermitted


class UnsubscribeFromReport:
    def __init__(self, subscriptions: ReportSubscriptions, uow: UnitOfWork) -> None:
        self._subscriptions, self._uow = subscriptions, uow

    async def __call__(self, actor: Actor, report_key: str) -> ReportDefinition:
        if not actor.may(AnalyticsPermission.READ):
            raise NotPermitted("Only analytics readers subscribe to reports.")
        definition = report(report_key)
        await self._subscriptions.unsubscribe(definition.key, actor.user_id)
        await self._uow.commit()
        return definition
