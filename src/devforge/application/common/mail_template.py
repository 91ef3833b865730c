"""The one style every mail is written in: a subject, a plain-text part and an HTML part, the
same footer on each. Every context writes its mails with ``MailTemplate``.

Values are interpolated as data, never as template syntax, and HTML-escaped in the HTML part
(a device name comes from a User-Agent header, which anyone can set). A value may be a tuple of
lines (receipt rows, reasons, license keys): one line each in the text part, escaped and
separated by ``<br>`` in the HTML part; an empty tuple renders as nothing. A subject may hold
values too, flattened to one line (a header is no place for a line break). Links are built by
the caller from ``PublicUrl``, never from a request. ``home`` (the service's public address)
fills the footer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from devforge.application.common.mailer import MailMessage

FOOTER_TEXT = "\n-- \nDev Forge · {home}\n"
FOOTER_HTML = '<hr><p style="color:#666">Dev Forge · <a href="{home}">{home}</a></p>'
Value = str | tuple[str, ...]
_BREAKS = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True, slots=True)
class MailTemplate:
    subject: str
    text: str
    html: str

    def render(self, to: str, **values: Value) -> MailMessage:
        text = {name: _text(value) for name, value in values.items()}
        html = {name: _html(value) for name, value in values.items()}
        return MailMessage(
            to=to,
            subject=_BREAKS.sub(" ", self.subject.format(**text)).strip(),
            text=(self.text + FOOTER_TEXT).format(**text),
            html=(self.html + FOOTER_HTML).format(**html),
        )


def _text(value: Value) -> str:
    return value if isinstance(value, str) else "\n".join(value)


def _html(value: Value) -> str:
    return escape(value, quote=True) if isinstance(value, str) else "<br>".join(escape(v, quote=True) for v in value)
