"""Tell the owner by mail when something security-relevant happens to their account: a new
sign-in, two-factor turned on or off, a changed password, a new API key. Each mail names what happened and
when, and points to the reset page in case it was not them."""

from __future__ import annotations

from devforge.application.common.integration_events import EventEnvelope, decode
from devforge.application.common.mail_outbox import OutgoingMail
from devforge.application.identity.account_links import AccountLinks, mail_time
from devforge.application.identity.mail_templates import (
    API_KEY_CREATED,
    NEW_SIGN_IN,
    PASSWORD_CHANGED,
    TWO_FACTOR_CHANGED,
)
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.published import (
    ApiKeyCreatedV1,
    PasswordChangedV1,
    SessionStartedV1,
    TwoFactorDisabledV1,
    TwoFactorEnabledV1,
)
from devforge.domain.identity.user import User


class _NoticeConsumer:
    """Looks the account up by id (the address is today's, not the one in the event), and sends
    nothing for an account that no longer exists."""

    def __init__(self, users: UserRepository, mail: OutgoingMail, links: AccountLinks) -> None:
        self._users, self._mail, self._links = users, mail, links

    def _common(self, user: User, event: EventEnvelope) -> dict[str, str]:
        return {
            "email": user.email.value,
            "when": mail_time(event.occurred_at),
            "home": self._links.home,
            "reset_page": self._links.reset_page,
        }


class WhenSessionStartedSendNewSignInMail(_NoticeConsumer):
    name = "identity.send_new_sign_in_mail"
    subscribes_to = (SessionStartedV1,)

    async def handle(self, event: EventEnvelope) -> None:
        started = SessionStartedV1.decode(event)
        if (user := await self._users.get(started.user_id)) is None:
            return
        ip, device = started.ip or "an unknown address", started.device or "unknown device"
        await self._mail.post(NEW_SIGN_IN.render(user.email.value, ip=ip, device=device, **self._common(user, event)))


class WhenTwoFactorChangedSendNotice(_NoticeConsumer):
    name = "identity.send_two_factor_notice"
    subscribes_to = (TwoFactorEnabledV1, TwoFactorDisabledV1)

    async def handle(self, event: EventEnvelope) -> None:
        changed = decode(event, TwoFactorEnabledV1, TwoFactorDisabledV1)
        if (user := await self._users.get(changed.user_id)) is None:
            return
        change = "turned on" if isinstance(changed, TwoFactorEnabledV1) else "turned off"
        await self._mail.post(TWO_FACTOR_CHANGED.render(user.email.value, change=change, **self._common(user, event)))


class WhenPasswordChangedSendNotice(_NoticeConsumer):
    name = "identity.send_password_changed_notice"
    subscribes_to = (PasswordChangedV1,)

    async def handle(self, event: EventEnvelope) -> None:
        if (user := await self._users.get(PasswordChangedV1.decode(event).user_id)) is None:
            return
        await self._mail.post(PASSWORD_CHANGED.render(user.email.value, **self._common(user, event)))


class WhenApiKeyCreatedSendNotice(_NoticeConsumer):
    """A key is a credential that outlives sessions: its owner hears of every new one."""

    name = "identity.send_api_key_notice"
    subscribes_to = (ApiKeyCreatedV1,)

    async def handle(self, event: EventEnvelope) -> None:
        created = ApiKeyCreatedV1.decode(event)
        if (user := await self._users.get(created.user_id)) is None:
            return
        notice = API_KEY_CREATED.render(
            user.email.value,
            key_name=created.key_name,
            scopes=", ".join(created.scopes),
            expires=mail_time(created.expires_at),
            **self._common(user, event),
        )
        await self._mail.post(notice)
