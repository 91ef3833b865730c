"""Every event consumer of every context, by name. A consumer added to a context is listed
here once; its subscriptions come from its own ``subscribes_to``."""

from __future__ import annotations

from devforge.application.common.consumers import EventConsumer, Subscriptions
from devforge.application.identity.when_user_registered_send_welcome_mail import WhenUserRegisteredSendWelcomeMail

CONSUMERS: tuple[type[EventConsumer], ...] = (WhenUserRegisteredSendWelcomeMail,)  # type: ignore[assignment]

CONSUMERS_BY_NAME: dict[str, type[EventConsumer]] = {consumer.name: consumer for consumer in CONSUMERS}


def subscriptions() -> Subscriptions:
    return Subscriptions({consumer.name: consumer.subscribes_to for consumer in CONSUMERS})
