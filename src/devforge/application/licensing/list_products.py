"""List the products a caller manages, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.licensing.ports import LicensingCatalogReader
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.licensing.product import Product
from devforge.domain.shared.errors import RuleViolated

MAX_PAGE = 100


@dataclass(frozen=True, slots=True)
class ProductPage:
    items: list[Product]
    next_after: UUID | None
    """The id to pass as ``after`` for the next page; None on the last page."""


class ListProducts:
    """A developer's own products, an admin's everyone's, oldest first. Keyset pages: ``after``
    names the last product of the previous page, so adding products never shifts a page. A
    cursor the caller cannot see (someone else's, or deleted since) is refused like a bad input.
    A plain read on committed data, no unit of work."""

    def __init__(self, catalog: LicensingCatalogReader) -> None:
        self._catalog = catalog

    async def __call__(self, actor: Actor, *, limit: int = 50, after: UUID | None = None) -> ProductPage:
        if not 1 <= limit <= MAX_PAGE:
            raise RuleViolated(f"Ask for 1 to {MAX_PAGE} products.", field="limit")
        cursor = await self._catalog.product(after) if after is not None else None
        if after is not None and (cursor is None or not actor.owns_or_may(cursor.owner_id, LicensingPermission.ADMIN)):
            raise RuleViolated("Continue from a product of the previous page.", field="after")
        owner = None if actor.may(LicensingPermission.ADMIN) else actor.user_id
        found = await self._catalog.products(owner_id=owner, limit=limit + 1, after=cursor)
        page = found[:limit]
        return ProductPage(page, page[-1].id if len(found) > limit else None)
