from __future__ import annotations

from devforge.application.analytics.alert_ports import AlertRuleReader
from devforge.application.common.actor import Actor
from devforge.domain.analytics.alerts import AlertRule
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted


class ListAlertRules:
    """Every rule, oldest first, with its state (rules are the platform's, not their maker's)."""

    def __init__(self, rules: AlertRuleReader) -> None:
        self._rules = rules

    async def __call__(self, actor: Actor) -> list[AlertRule]:
        if not actor.may(AnalyticsPermission.ALERTS_MANAGE):
            raise NotPermitted("Only analysts and administrators see alert rules.")
        return await self._rules.all()
