"""Who may manage a publisher and its extensions: its members, or an actor granted
``extensions:review`` (an administrator with two-factor, decided where the actor is built)."""

from __future__ import annotations

from devforge.application.common.actor import Actor
from devforge.domain.marketplace.errors import ExtensionNotFound, PublisherNotFound
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.marketplace.publisher import Publisher


def is_insider(actor: Actor, publisher: Publisher) -> bool:
    return actor.may(MarketplacePermission.EXTENSIONS_REVIEW) or publisher.is_member(actor.user_id)


def ensure_member(actor: Actor, publisher: Publisher | None, *, extension: bool = False) -> Publisher:
    """Someone else's publisher (or extension) answers exactly like a missing one."""
    if publisher is None or not is_insider(actor, publisher):
        if extension:
            raise ExtensionNotFound("No extension with this id.")
        raise PublisherNotFound("No publisher with this id.")
    return publisher
