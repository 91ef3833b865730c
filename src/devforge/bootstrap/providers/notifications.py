"""Notifications: its consumers, ``Notify``, and the ``ContactDirectory`` identity serves."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from devforge.application.identity.account_lookup import AccountLookup
from devforge.application.notifications.contacts import ContactDirectory
from devforge.application.notifications.notify import Notify
from devforge.bootstrap.accounts import IdentityContactDirectory


class NotificationsProvider(Provider):
    """The same in every profile: it owns no storage (mail goes through the mail outbox)."""

    scope = Scope.REQUEST
    notify = provide(Notify)

    @provide
    def contacts(self, lookup: AccountLookup) -> ContactDirectory:
        """Identity's published interface serves notifications' port."""
        return IdentityContactDirectory(lookup)
