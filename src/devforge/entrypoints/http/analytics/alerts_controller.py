"""``/api/analytics/alerts``: rules on a metric, mailed to their subscribers once per breach."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from devforge.application.analytics.change_alert_subscription import ChangeAlertSubscription
from devforge.application.analytics.create_alert_rule import CreateAlertRule, NewAlertRule
from devforge.application.analytics.delete_alert_rule import DeleteAlertRule
from devforge.application.analytics.list_alert_rules import ListAlertRules
from devforge.application.analytics.show_alert_rule import ShowAlertRule
from devforge.application.common.actor import Actor
from devforge.domain.analytics.alerts import Condition
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.queries import Interval
from devforge.entrypoints.http.analytics.insight_schemas import (
    AlertRuleDetailResponse,
    AlertRuleResponse,
    CreateAlertRuleRequest,
)
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.openapi_docs import problems


class AlertsController(Controller):
    """``analytics_alerts:manage``: administrators and analysts (sessions with two-factor on)."""

    path = "/api/analytics/alerts"
    tags = ["analytics"]
    guards = [require(AnalyticsPermission.ALERTS_MANAGE)]
    dependencies = GRANTED
    security = BEARER

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Create an alert rule",
        description=(
            "A rule on a metric's last complete hour or day: `above` or `below` a threshold, a `change` of at least "
            "`threshold` percent from the period before, or `outside_forecast` (daily; the forecast's interval). "
            "The worker evaluates every rule every 5 minutes; a breach is mailed to the subscribers once, then "
            "nothing more for `cooldownSeconds` (5 minutes to 30 days). The maker is the first subscriber."
        ),
        responses=problems(400, 401, 403, 422, 429),
    )
    async def create(
        self,
        data: JSONBody[CreateAlertRuleRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[CreateAlertRule],
    ) -> AlertRuleResponse:
        new = NewAlertRule(
            data.name,
            data.metric,
            Condition(data.condition),
            data.threshold,
            Interval(data.interval),
            timedelta(seconds=data.cooldown_seconds),
        )
        return AlertRuleResponse.of(await handler(actor, new))

    @get(
        "/", summary="List alert rules", description="Every rule, oldest first.", responses=problems(400, 401, 403, 429)
    )
    async def list_rules(
        self, actor: NamedDependency[Actor], handler: FromDishka[ListAlertRules]
    ) -> list[AlertRuleResponse]:
        return [AlertRuleResponse.of(rule) for rule in await handler(actor)]

    @get(
        "/{rule_id:uuid}",
        summary="Show an alert rule",
        description="The rule and its history: each firing's time, the bucket observed, the value, the bound crossed.",
        responses=problems(400, 401, 403, 404, 429),
    )
    async def show(
        self, rule_id: FromPath[UUID], actor: NamedDependency[Actor], handler: FromDishka[ShowAlertRule]
    ) -> AlertRuleDetailResponse:
        return AlertRuleDetailResponse.of(await handler(actor, rule_id))

    @delete(
        "/{rule_id:uuid}",
        status_code=204,
        summary="Delete an alert rule",
        description="The rule and its history.",
        responses=problems(400, 401, 403, 404, 429),
    )
    async def remove(
        self, rule_id: FromPath[UUID], actor: NamedDependency[Actor], handler: FromDishka[DeleteAlertRule]
    ) -> None:
        await handler(actor, rule_id)

    @put(
        "/{rule_id:uuid}/subscription",
        summary="Subscribe to an alert rule",
        description="The caller is mailed its firings (at most 20 subscribers a rule). Subscribing twice is once.",
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def subscribe(
        self, rule_id: FromPath[UUID], actor: NamedDependency[Actor], handler: FromDishka[ChangeAlertSubscription]
    ) -> AlertRuleResponse:
        return AlertRuleResponse.of(await handler(actor, rule_id, subscribed=True))

    @delete(
        "/{rule_id:uuid}/subscription",
        status_code=200,
        summary="Unsubscribe from an alert rule",
        description="The caller is no longer mailed its firings.",
        responses=problems(400, 401, 403, 404, 429),
    )
    async def unsubscribe(
        self, rule_id: FromPath[UUID], actor: NamedDependency[Actor], handler: FromDishka[ChangeAlertSubscription]
    ) -> AlertRuleResponse:
        return AlertRuleResponse.of(await handler(actor, rule_id, subscribed=False))
