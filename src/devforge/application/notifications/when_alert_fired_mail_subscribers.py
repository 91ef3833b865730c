"""Tell an analytics alert's subscribers that its metric breached the rule."""

from __future__ import annotations

from devforge.application.analytics.published import AnalyticsAlertFiredV1
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mail_template import MailTemplate
from devforge.application.notifications.notify import Notify

CONDITIONS = {
    "above": "rose above {threshold}",
    "below": "fell below {threshold}",
    "change": "moved by at least {threshold} % from the period before",
    "outside_forecast": "left its forecast's interval (bound {threshold})",
}

ALERT_FIRED = MailTemplate(
    subject="Alert: {rule}",
    text=(
        "{metric} {what} for {bucket}: {value}.\n\n"
        'The rule "{rule}" fires once per breach and then stays quiet through its cooldown.\n'
        "The rule and its history: {link}\n"
    ),
    html=(
        "<p><b>{metric}</b> {what} for {bucket}: <b>{value}</b>.</p>"
        "<p>The rule &quot;{rule}&quot; fires once per breach and then stays quiet through its cooldown. "
        '<a href="{link}">The rule and its history</a>.</p>'
    ),
)


class WhenAlertFiredMailSubscribers:
    """One mail to each reachable subscriber, posted in the delivery's transaction: the delivery
    ledger hands a firing here once, so a redelivered job never mails twice."""

    name = "notifications.mail_analytics_alert"
    subscribes_to = (AnalyticsAlertFiredV1,)

    def __init__(self, notify: Notify) -> None:
        self._notify = notify

    async def handle(self, envelope: EventEnvelope) -> None:
        event = AnalyticsAlertFiredV1.decode(envelope)
        what = CONDITIONS.get(event.condition, "breached its rule ({threshold})").format(threshold=event.threshold)
        for user_id in event.subscribers:
            await self._notify.account(
                user_id,
                ALERT_FIRED,
                rule=event.rule_name,
                metric=event.metric,
                what=what,
                bucket=event.bucket.strftime("%Y-%m-%d %H:%M UTC"),
                value=event.value,
                link=self._notify.link(f"/api/analytics/alerts/{event.rule_id}"),
            )
