"""The marketplace's permissions (which role holds them is the composition root's role table)."""

from __future__ import annotations

from devforge.domain.shared.permissions import Permission


class MarketplacePermission:
    EXTENSIONS_PUBLISH = Permission("extensions:publish", on_api_keys=True)
    """Register publishers, and create, upload and manage the extensions of one's own publishers."""
    PUBLISHERS_MANAGE = Permission("publishers:manage")
    """Who belongs to a publisher. Never on a key: a leaked CI key must not be able to add its
    holder as a member, who would keep publishing after the key is revoked."""
    EXTENSIONS_REVIEW = Permission("extensions:review", administrative=True)
    """See the review queue, decide reviews (never on a publisher one belongs to), remove ratings, and
    reach every publisher and extension."""
