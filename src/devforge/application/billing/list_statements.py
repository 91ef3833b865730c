"""The statements a publisher's owner may download: every month and currency since its account
first moved, newest first (or every publisher the caller owns when none is named)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.billing.extension_sellers import ExtensionSellers, Seller
from devforge.application.billing.statements import StatementPeriod, Statements
from devforge.application.common.actor import Actor


@dataclass(frozen=True, slots=True)
class SellerPeriods:
    seller: Seller
    periods: tuple[StatementPeriod, ...]


class ListStatements:
    def __init__(self, statements: Statements, sellers: ExtensionSellers) -> None:
        self._statements, self._sellers = statements, sellers

    async def __call__(self, actor: Actor, publisher_id: UUID | None) -> list[SellerPeriods]:
        if publisher_id is not None:
            sellers = [await self._statements.seller(actor, publisher_id)]
        else:
            sellers = sorted(await self._sellers.sellers_owned_by(actor.user_id), key=lambda s: s.name)
        return [SellerPeriods(seller, tuple(await self._statements.periods(seller.publisher_id))) for seller in sellers]
