from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from devforge.application.common.mailer import MailMessage


def build_mime(message: MailMessage, sender: str) -> EmailMessage:
    """The one wire form of our mail: plain text always, HTML as an alternative when given,
    with a Date and a Message-ID on the sender's domain (not the host name, which would leak
    and costs a DNS lookup). A message with a key gets the Message-ID ``<key@domain>``, the same
    on every send. A header carrying a line break raises ``ValueError``, so a recipient or
    subject cannot inject headers."""
    mime = EmailMessage()
    mime["From"] = sender
    mime["To"] = message.to
    mime["Subject"] = message.subject
    mime["Date"] = formatdate(usegmt=True)
    mime["Message-ID"] = message_id(message, sender)
    mime.set_content(message.text)
    if message.html is not None:
        mime.add_alternative(message.html, subtype="html")
    return mime


def message_id(message: MailMessage, sender: str) -> str:
    if message.key is None:
        return make_msgid(domain=_domain_of(sender))
    if not re.fullmatch(r"[A-Za-z0-9-]{1,64}", message.key):
        raise ValueError("A mail key is letters, digits and dashes only.")
    return f"<{message.key}@{_domain_of(sender)}>"


def envelope_address(address: str) -> str:
    """The bare address of ``"Name <a@b>"``, for the SMTP envelope."""
    return parseaddr(address)[1] or address


def _domain_of(address: str) -> str:
    return envelope_address(address).rpartition("@")[2] or "devforge.invalid"
