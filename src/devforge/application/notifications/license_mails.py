"""The mails about a customer's licenses."""

from __future__ import annotations

from datetime import UTC, datetime

from devforge.application.common.mail_template import MailTemplate

LICENSE_EXPIRING_SOON = MailTemplate(
    subject="Your Dev Forge license expires soon",
    text=(
        "Your Dev Forge license {license} expires on {expires}.\n\n"
        "Renew it before then to keep using it without a break. Your licenses: {licenses_link}\n"
    ),
    html=(
        "<p>Your Dev Forge license <code>{license}</code> expires on <b>{expires}</b>.</p>"
        '<p>Renew it before then to keep using it without a break. <a href="{licenses_link}">Your licenses</a></p>'
    ),
)

LICENSE_EXPIRED = MailTemplate(
    subject="Your Dev Forge license has expired",
    text=(
        "Your Dev Forge license {license} expired on {expires}.\n\n"
        "Renew it to use it again. Your licenses: {licenses_link}\n"
    ),
    html=(
        "<p>Your Dev Forge license <code>{license}</code> expired on <b>{expires}</b>.</p>"
        '<p>Renew it to use it again. <a href="{licenses_link}">Your licenses</a></p>'
    ),
)


def when(moment: datetime) -> str:
    """A moment as ``9 December 2026, 10:00 UTC``."""
    moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"
