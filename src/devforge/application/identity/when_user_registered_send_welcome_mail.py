"""Welcome a new user by mail, once."""

from __future__ import annotations

from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mailer import Mailer, MailMessage
from devforge.application.common.public_url import PublicUrl


class WhenUserRegisteredSendWelcomeMail:
    """Runs from the queue, so a mail outage delays the welcome but never loses it; the delivery
    ledger makes a redelivered event send nothing twice."""

    name = "identity.send_welcome_mail"
    subscribes_to = ("identity.user_registered",)

    def __init__(self, mailer: Mailer, public_url: PublicUrl) -> None:
        self._mailer, self._url = mailer, public_url

    async def handle(self, event: EventEnvelope) -> None:
        email = event.payload["email"]
        home = self._url.to("/")
        await self._mailer.send(
            MailMessage(
                to=email,
                subject="Welcome to Dev Forge",
                text=(
                    f"Welcome to Dev Forge!\n\nYour account {email} is ready.\n"
                    f"Sign in at {home} to manage your licenses and extensions.\n"
                ),
                html=(
                    f"<p>Welcome to Dev Forge!</p><p>Your account <b>{_escape(email)}</b> is ready.</p>"
                    f'<p><a href="{home}">Sign in</a> to manage your licenses and extensions.</p>'
                ),
            )
        )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
