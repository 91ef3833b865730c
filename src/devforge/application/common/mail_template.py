"""The one style every mail is written in: a subject, a plain-text part and an HTML part, the
same footer on each.

Values are interpolated as data, never as template syntax, and HTML-escaped in the HTML part
(a device name comes from a User-Agent header, which anyone can set). Subjects hold no
interpolated values (a header is no place for data). Links are built by the caller from ``PublicUrl``,
never from a request. ``home`` (the service's public address) fills the footer.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from devforge.application.common.mailer import MailMessage

FOOTER_TEXT = "\n-- \nDev Forge · {home}\n"
FOOTER_HTML = '<hr><p style="color:#666">Dev Forge · <a href="{home}">{home}</a></p>'


@dataclass(frozen=True, slots=True)
class MailTemplate:
    subject: str
    text: str
    html: str

    def render(self, to: str, **values: str) -> MailMessage:
        escaped = {name: escape(value, quote=True) for name, value in values.items()}
        return MailMessage(
            to=to,
            subject=self.subject,
            text=(self.text + FOOTER_TEXT).format(**values),
            html=(self.html + FOOTER_HTML).format(**escaped),
        )
