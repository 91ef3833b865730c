"""Tell every enabled administrator that review checks of a version crashed: the publisher's
review says the administrators were notified, and this is the notice."""

from __future__ import annotations

import structlog

from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mail_template import MailTemplate
from devforge.application.marketplace.published import ReviewChecksCrashedV1
from devforge.application.notifications.notify import Notify

log = structlog.get_logger(__name__)

REVIEW_CHECKS_CRASHED = MailTemplate(
    subject="Review checks crashed: {what}",
    text=(
        "The review of {what} (round {round}) could not complete: {checks} crashed.\n\n"
        "The version waits as errored. The details are on its review (administrators only): {link}\n"
        "Fix the cause, then re-run the review.\n"
    ),
    html=(
        "<p>The review of <b>{what}</b> (round {round}) could not complete: <code>{checks}</code> crashed.</p>"
        '<p>The version waits as errored. <a href="{link}">The details are on its review</a> (administrators only).'
        " Fix the cause, then re-run the review.</p>"
    ),
)


class WhenReviewChecksCrashedMailAdmins:
    name = "notifications.mail_review_checks_crashed"
    subscribes_to = (ReviewChecksCrashedV1,)

    def __init__(self, notify: Notify) -> None:
        self._notify = notify

    async def handle(self, envelope: EventEnvelope) -> None:
        event = ReviewChecksCrashedV1.decode(envelope)
        posted = await self._notify.administrators(
            REVIEW_CHECKS_CRASHED,
            what=event.what,
            round=str(event.review_round),
            checks=", ".join(event.checks),
            link=self._notify.link(f"/api/extensions/{event.extension_id}/versions/{event.version}/review"),
        )
        if not posted:  # nobody to tell: at least the operators' log says it
            log.error("review_checks_crashed_no_admin", what=event.what, checks=list(event.checks))
