"""Notifications: who is told what, by mail, on behalf of the other contexts. It owns no
storage (mail goes through the platform's mail outbox)."""

from __future__ import annotations

from devforge.bootstrap.context import Context
from devforge.bootstrap.providers.notifications import NotificationsProvider

CONTEXT = Context(name="notifications", providers=(NotificationsProvider,))
