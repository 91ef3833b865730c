"""Welcome a new user by mail, once, with the link that verifies their address."""

from __future__ import annotations

from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mail_outbox import OutgoingMail
from devforge.application.identity.account_links import AccountLinks
from devforge.application.identity.issue_one_time_token import IssueOneTimeToken
from devforge.application.identity.mail_templates import WELCOME
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.published import UserRegisteredV1
from devforge.domain.identity.one_time_token import TokenPurpose


class WhenUserRegisteredSendWelcomeMail:
    """Runs from the delivery ledger, so an outage delays the welcome but never loses it; the
    ledger makes a redelivered event post nothing twice. The verification token is minted here
    and the mail posted to the mail outbox in the delivery's transaction: one event, one token,
    one mail, committed together, so the link in the mail that goes out always works."""

    name = "identity.send_welcome_mail"
    subscribes_to = (UserRegisteredV1,)

    def __init__(
        self, users: UserRepository, mail: OutgoingMail, issue_token: IssueOneTimeToken, links: AccountLinks
    ) -> None:
        self._users, self._mail, self._issue, self._links = users, mail, issue_token, links

    async def handle(self, event: EventEnvelope) -> None:
        user = await self._users.get(UserRegisteredV1.decode(event).user_id, for_update=True)
        if user is None:
            return
        email = user.email.value
        raw = await self._issue(user_id=user.id, purpose=TokenPurpose.VERIFY_EMAIL)
        link = self._links.verify_email(raw)
        await self._mail.post(WELCOME.render(email, email=email, verify_link=link, home=self._links.home))
