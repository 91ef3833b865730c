"""The contexts of the running system, in order: the platform first. A new context is its own
files (domain, application, adapters, HTTP shell, and a module here) plus one line below."""

from __future__ import annotations

from devforge.bootstrap.context import Contexts
from devforge.bootstrap.contexts import analytics, billing, identity, licensing, marketplace, notifications, platform

CONTEXTS = Contexts(
    (
        platform.CONTEXT,
        identity.CONTEXT,
        licensing.CONTEXT,
        billing.CONTEXT,
        marketplace.CONTEXT,
        notifications.CONTEXT,
        analytics.CONTEXT,
    )
)
