from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from devforge.application.common.mailer import MailMessage


def build_mime(message: MailMessage, sender: str) -> EmailMessage:
    """The one wire form of our mail: plain text always, HTML as an alternative when given,
    with a Date and a Message-ID on the sender's domain (not the host name, which would leak
    and costs a DNS lookup). A header carrying a line break raises ``ValueError``, so a
    recipient or subject cannot inject headers."""
    mime = EmailMessage()
    mime["From"] = sender
    mime["To"] = message.to
    mime["Subject"] = message.subject
    mime["Date"] = formatdate(usegmt=True)
    mime["Message-ID"] = make_msgid(domain=_domain_of(sender))
    mime.set_content(message.text)
    if message.html is not None:
        mime.add_alternative(message.html, subtype="html")
    return mime


def envelope_address(address: str) -> str:
    """The bare address of ``"Name <a@b>"``, for the SMTP envelope."""
    return parseaddr(address)[1] or address


def _domain_of(address: str) -> str:
    return envelope_address(address).rpartition("@")[2] or "devforge.invalid"
