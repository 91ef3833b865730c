from __future__ import annotations

from uuid import UUID

from devforge.application.analytics.alert_ports import AlertRuleRepository
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.errors import AlertRuleNotFound
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted


class DeleteAlertRule:
    """The rule and its history go; a firing already posted is still mailed."""

    def __init__(self, rules: AlertRuleRepository, uow: UnitOfWork) -> None:
        self._rules, self._uow = rules, uow

    async def __call__(self, actor: Actor, rule_id: UUID) -> None:
        if not actor.may(AnalyticsPermission.ALERTS_MANAGE):
            raise NotPermitted("Only analysts and administrators delete alert rules.")
        if await self._rules.get(rule_id, for_update=True) is None:
            raise AlertRuleNotFound("No such alert rule.")
        await self._rules.delete(rule_id)
        await self._uow.commit()
