"""Mail a fresh email-verification link when a signed-in user asks for one."""

from __future__ import annotations

from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mail_outbox import OutgoingMail
from devforge.application.identity.account_links import AccountLinks
from devforge.application.identity.issue_one_time_token import IssueOneTimeToken
from devforge.application.identity.mail_templates import VERIFICATION
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.published import EmailVerificationRequestedV1
from devforge.domain.identity.one_time_token import TokenPurpose


class WhenVerificationRequestedSendLink:
    """The token is minted here, in the delivery's transaction, and only while the address is
    still unverified; the account row is locked so two requests mint one after the other and the
    newer link supersedes the older."""

    name = "identity.send_verification_link"
    subscribes_to = (EmailVerificationRequestedV1,)

    def __init__(
        self, users: UserRepository, mail: OutgoingMail, issue_token: IssueOneTimeToken, links: AccountLinks
    ) -> None:
        self._users, self._mail, self._issue, self._links = users, mail, issue_token, links

    async def handle(self, event: EventEnvelope) -> None:
        user = await self._users.get(EmailVerificationRequestedV1.decode(event).user_id, for_update=True)
        if user is None or user.email_verified:
            return
        raw = await self._issue(user_id=user.id, purpose=TokenPurpose.VERIFY_EMAIL)
        email = user.email.value
        link = self._links.verify_email(raw)
        await self._mail.post(VERIFICATION.render(email, email=email, verify_link=link, home=self._links.home))
