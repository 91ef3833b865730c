"""Tell the publisher every decision on a version, with the reasons: the pipeline's verdict and a
reviewer's approval, rejection or request for changes."""

from __future__ import annotations

from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mail_outbox import OutgoingMail
from devforge.application.common.mail_template import MailTemplate
from devforge.application.common.public_url import PublicUrl
from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository
from devforge.application.marketplace.published import VersionReviewedV1

HEADLINES = {
    "passed": "passed every check and waits for a reviewer",
    "approved": "is approved and published",
    "rejected": "was rejected",
    "quarantined": "was quarantined",
    "errored": "could not be reviewed yet",
    "changes_requested": "needs changes",
}

REVIEW_DECISION = MailTemplate(
    subject="{what} {headline}",
    text="{what} {headline}.\n\nReasons:\n{reasons}\n\nThe full review: {link}\n",
    html='<p><b>{what}</b> {headline}.</p><p>Reasons:<br>{reasons}</p><p><a href="{link}">The full review</a></p>',
)


class WhenVersionReviewedMailPublisher:
    name = "marketplace.mail_review_decision"
    subscribes_to = (VersionReviewedV1,)

    def __init__(
        self,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        mail: OutgoingMail,
        public_url: PublicUrl,
    ) -> None:
        self._publishers, self._extensions, self._mail, self._public_url = publishers, extensions, mail, public_url

    async def handle(self, event: EventEnvelope) -> None:
        reviewed = VersionReviewedV1.decode(event)
        publisher = await self._publishers.get(reviewed.publisher_id)
        extension = await self._extensions.get(reviewed.extension_id)
        if publisher is None or extension is None or not publisher.contact_email:
            return
        message = REVIEW_DECISION.render(
            publisher.contact_email,
            what=f"{publisher.namespace}.{extension.name} {reviewed.version}",
            headline=HEADLINES.get(reviewed.state, reviewed.state),
            reasons=tuple(f"- {reason}" for reason in reviewed.reasons) or ("- (no reason given)",),
            link=self._public_url.to(f"/api/extensions/{extension.id}/versions/{reviewed.version}/review"),
            home=self._public_url.to("/"),
        )
        await self._mail.post(message)
