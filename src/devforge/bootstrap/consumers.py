"""Every event consumer of every context, by name. A consumer is listed once, in its context's
module (``bootstrap/contexts/``); its subscriptions come from its own ``subscribes_to``."""

from __future__ import annotations

from devforge.application.common.consumers import EventConsumer, Subscriptions
from devforge.bootstrap.contexts import CONTEXTS

CONSUMERS_BY_NAME: dict[str, type[EventConsumer]] = CONTEXTS.consumers
CONSUMERS: tuple[type[EventConsumer], ...] = tuple(CONSUMERS_BY_NAME.values())


def subscriptions() -> Subscriptions:
    return CONTEXTS.subscriptions()
