"""The analytics context's permissions (which role holds them is the composition root's role table)."""

from __future__ import annotations

from devforge.domain.shared.permissions import Permission


class AnalyticsPermission:
    READ = Permission("analytics:read", administrative=True)
    """Read every figure of the platform (admins and analysts; a session with two-factor on)."""
    OWN = Permission("analytics:own")
    """Read the figures of one's own extensions and publishers (developers; admins and analysts
    hold it too, and ``analytics:read`` widens it to every figure)."""
    KEYS_MANAGE = Permission("analytics:manage", administrative=True)
    """Create and revoke publishable ingestion keys (admins)."""
    ERASE = Permission("analytics:erase", administrative=True)
    """Erase one person's events on request (admins)."""
    ALERTS_MANAGE = Permission("analytics_alerts:manage", administrative=True)
    """Make, change and delete alert rules on the platform's figures, and subscribe to them
    (admins and analysts)."""
    EXPORT = Permission("analytics:export", administrative=True)
    """Export raw events and series as files (admins and analysts)."""
