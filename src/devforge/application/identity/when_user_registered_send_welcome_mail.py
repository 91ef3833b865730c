"""Welcome a new user by mail, once, with the link that verifies their address."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mailer import Mailer
from devforge.application.identity.account_links import AccountLinks
from devforge.application.identity.issue_one_time_token import IssueOneTimeToken
from devforge.application.identity.mail_templates import WELCOME
from devforge.application.identity.ports import UserRepository
from devforge.domain.identity.one_time_token import TokenPurpose


class WhenUserRegisteredSendWelcomeMail:
    """Runs from the queue, so a mail outage delays the welcome but never loses it; the delivery
    ledger makes a redelivered event send nothing twice. The verification token is minted here,
    in the delivery's transaction: one event, one token, one mail (a failed send keeps no token)."""

    name = "identity.send_welcome_mail"
    subscribes_to = ("identity.user_registered",)

    def __init__(
        self, users: UserRepository, mailer: Mailer, issue_token: IssueOneTimeToken, links: AccountLinks
    ) -> None:
        self._users, self._mailer, self._issue, self._links = users, mailer, issue_token, links

    async def handle(self, event: EventEnvelope) -> None:
        user = await self._users.get(UUID(event.payload["user_id"]), for_update=True)
        if user is None:
            return
        email = user.email.value
        raw = await self._issue(user_id=user.id, purpose=TokenPurpose.VERIFY_EMAIL)
        link = self._links.verify_email(raw)
        await self._mailer.send(WELCOME.render(email, email=email, verify_link=link, home=self._links.home))
