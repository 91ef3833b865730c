"""Tell an account's owner something by mail: find the address, render, post."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.mail_outbox import OutgoingMail
from devforge.application.common.mail_template import MailTemplate
from devforge.application.common.public_url import PublicUrl
from devforge.application.notifications.contacts import ContactDirectory


class Notify:
    """Called by the notification consumers in their delivery's transaction, so the mail is
    posted once per event: the delivery ledger never hands a consumer the same event twice
    after it committed, and a rolled-back delivery posts nothing. An unknown or disabled
    account is told nothing. Every template gets ``email`` and ``home``."""

    def __init__(self, contacts: ContactDirectory, mail: OutgoingMail, public_url: PublicUrl) -> None:
        self._contacts, self._mail, self._public_url = contacts, mail, public_url

    def link(self, path: str) -> str:
        return self._public_url.to(path)

    async def account(self, user_id: UUID, template: MailTemplate, **values: str) -> UUID | None:
        """The posted mail's id, or None when there was no one to tell."""
        contact = await self._contacts.contact(user_id)
        if contact is None or not contact.reachable:
            return None
        message = template.render(contact.email, email=contact.email, home=self._public_url.to("/"), **values)
        return await self._mail.post(message)

    async def administrators(self, template: MailTemplate, **values: str) -> list[UUID]:
        """One mail to each enabled administrator; the posted mails' ids (none: nobody to tell)."""
        posted = []
        for contact in await self._contacts.administrators():
            message = template.render(contact.email, email=contact.email, home=self._public_url.to("/"), **values)
            posted.append(await self._mail.post(message))
        return posted
