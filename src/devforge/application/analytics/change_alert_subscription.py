from __future__ import annotations

from uuid import UUID

from devforge.application.analytics.alert_ports import AlertRuleRepository
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.alerts import AlertRule
from devforge.domain.analytics.errors import AlertRuleNotFound
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted


class ChangeAlertSubscription:
    """The caller subscribes to a rule's mails, or stops: nobody subscribes someone else, so a
    rule's figures are only ever mailed to those allowed to manage it."""

    def __init__(self, rules: AlertRuleRepository, uow: UnitOfWork) -> None:
        self._rules, self._uow = rules, uow

    async def __call__(self, actor: Actor, rule_id: UUID, *, subscribed: bool) -> AlertRule:
        if not actor.may(AnalyticsPermission.ALERTS_MANAGE):
            raise NotPermitted("Only analysts and administrators subscribe to alert rules.")
        rule = await self._rules.get(rule_id, for_update=True)
        if rule is None:
            raise AlertRuleNotFound("No such alert rule.")
        if subscribed:
            rule.subscribe(actor.user_id)
        else:
            rule.unsubscribe(actor.user_id)
        await self._rules.update(rule)
        await self._uow.commit()
        return rule
