"""Tell the owner by mail when something security-relevant happens to their account: a new
sign-in, two-factor turned on or off, a changed password, a new API key. Each mail names what happened and
when, and points to the reset page in case it was not them."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mail_outbox import OutgoingMail
from devforge.application.identity.account_links import AccountLinks, mail_time
from devforge.application.identity.mail_templates import (
    API_KEY_CREATED,
    NEW_SIGN_IN,
    PASSWORD_CHANGED,
    TWO_FACTOR_CHANGED,
)
from devforge.application.identity.ports import UserRepository
from devforge.domain.identity.user import User


class _NoticeConsumer:
    """Looks the account up by id (the address is today's, not the one in the event), and sends
    nothing for an account that no longer exists."""

    def __init__(self, users: UserRepository, mail: OutgoingMail, links: AccountLinks) -> None:
        self._users, self._mail, self._links = users, mail, links

    async def handle(self, event: EventEnvelope) -> None:
        user = await self._users.get(UUID(event.payload["user_id"]))
        if user is not None:
            await self._send(user, event)

    async def _send(self, user: User, event: EventEnvelope) -> None:
        raise NotImplementedError

    def _common(self, user: User, event: EventEnvelope) -> dict[str, str]:
        return {
            "email": user.email.value,
            "when": mail_time(event.occurred_at),
            "home": self._links.home,
            "reset_page": self._links.reset_page,
        }


class WhenSessionStartedSendNewSignInMail(_NoticeConsumer):
    name = "identity.send_new_sign_in_mail"
    subscribes_to = ("identity.session_started",)

    async def _send(self, user: User, event: EventEnvelope) -> None:
        ip = str(event.payload.get("ip") or "an unknown address")
        device = str(event.payload.get("device") or "unknown device")
        await self._mail.post(NEW_SIGN_IN.render(user.email.value, ip=ip, device=device, **self._common(user, event)))


class WhenTwoFactorChangedSendNotice(_NoticeConsumer):
    name = "identity.send_two_factor_notice"
    subscribes_to = ("identity.two_factor_enabled", "identity.two_factor_disabled")

    async def _send(self, user: User, event: EventEnvelope) -> None:
        change = "turned on" if event.name == "identity.two_factor_enabled" else "turned off"
        await self._mail.post(TWO_FACTOR_CHANGED.render(user.email.value, change=change, **self._common(user, event)))


class WhenPasswordChangedSendNotice(_NoticeConsumer):
    name = "identity.send_password_changed_notice"
    subscribes_to = ("identity.password_changed",)

    async def _send(self, user: User, event: EventEnvelope) -> None:
        await self._mail.post(PASSWORD_CHANGED.render(user.email.value, **self._common(user, event)))


class WhenApiKeyCreatedSendNotice(_NoticeConsumer):
    """A key is a credential that outlives sessions: its owner hears of every new one."""

    name = "identity.send_api_key_notice"
    subscribes_to = ("identity.api_key_created",)

    async def _send(self, user: User, event: EventEnvelope) -> None:
        notice = API_KEY_CREATED.render(
            user.email.value,
            key_name=str(event.payload.get("key_name", "")),
            scopes=", ".join(event.payload.get("scopes") or []),
            expires=mail_time(datetime.fromisoformat(str(event.payload["expires_at"]))),
            **self._common(user, event),
        )
        await self._mail.post(notice)
