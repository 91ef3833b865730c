"""One month's statement of a publisher in one currency (its owner's, or any for an admin)."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.statements import SellerStatement, Statements
from devforge.application.common.actor import Actor


class GetStatement:
    def __init__(self, statements: Statements) -> None:
        self._statements = statements

    async def __call__(self, actor: Actor, publisher_id: UUID, month: str, currency: str | None) -> SellerStatement:
        return await self._statements.statement(actor, publisher_id, month, currency)
