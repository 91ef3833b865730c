from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.analytics.alert_ports import AlertRuleReader
from devforge.application.common.actor import Actor
from devforge.domain.analytics.alerts import AlertFiring, AlertRule
from devforge.domain.analytics.errors import AlertRuleNotFound
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted

HISTORY_SHOWN = 50


@dataclass(frozen=True, slots=True)
class AlertRuleWithHistory:
    rule: AlertRule
    firings: list[AlertFiring]
    """Newest first, the last ``HISTORY_SHOWN``."""


class ShowAlertRule:
    def __init__(self, rules: AlertRuleReader) -> None:
        self._rules = rules

    async def __call__(self, actor: Actor, rule_id: UUID) -> AlertRuleWithHistory:
        if not actor.may(AnalyticsPermission.ALERTS_MANAGE):
            raise NotPermitted("Only analysts and administrators see alert rules.")
        rule = await self._rules.get(rule_id)
        if rule is None:
            raise AlertRuleNotFound("No such alert rule.")
        return AlertRuleWithHistory(rule, await self._rules.firings(rule_id, HISTORY_SHOWN))
