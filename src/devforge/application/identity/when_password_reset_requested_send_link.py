"""Mail the password-reset link someone asked for."""

from __future__ import annotations

import structlog

from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mail_outbox import OutgoingMail
from devforge.application.identity.account_links import AccountLinks
from devforge.application.identity.issue_one_time_token import IssueOneTimeToken
from devforge.application.identity.mail_templates import PASSWORD_RESET
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.published import PasswordResetRequestedV1
from devforge.domain.identity.one_time_token import TokenPurpose
from devforge.domain.identity.user import UserStatus

log = structlog.get_logger(__name__)


class WhenPasswordResetRequestedSendLink:
    """The token is minted here, in the delivery's transaction (the event carries none), and
    dated from the request: a link whose hour ran out while the mail waited out an outage, or
    whose request predates a password change, would be dead on arrival, so none is sent (the
    owner asks again). A disabled or deleted account gets nothing."""

    name = "identity.send_password_reset_link"
    subscribes_to = (PasswordResetRequestedV1,)

    def __init__(
        self,
        users: UserRepository,
        mail: OutgoingMail,
        issue_token: IssueOneTimeToken,
        links: AccountLinks,
        clock: Clock,
    ) -> None:
        self._users, self._mail, self._issue, self._links, self._clock = users, mail, issue_token, links, clock

    async def handle(self, event: EventEnvelope) -> None:
        requested_at = event.occurred_at
        user = await self._users.get(PasswordResetRequestedV1.decode(event).user_id, for_update=True)
        if user is None or user.status is UserStatus.DISABLED:
            return
        stale = self._clock.now() >= requested_at + TokenPurpose.RESET_PASSWORD.lifetime
        if stale or (user.password_changed_at is not None and user.password_changed_at > requested_at):
            log.info("password_reset_link_not_sent", user_id=str(user.id), reason="stale")
            return
        raw = await self._issue(user_id=user.id, purpose=TokenPurpose.RESET_PASSWORD, issued_at=requested_at)
        email = user.email.value
        link = self._links.reset_password(raw)
        await self._mail.post(PASSWORD_RESET.render(email, email=email, reset_link=link, home=self._links.home))
