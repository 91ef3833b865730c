"""A month's statement as CSV (``statement_csv``'s documented columns)."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.statement_csv import statement_csv
from devforge.application.billing.statements import Statements
from devforge.application.common.actor import Actor


class GetStatementCsv:
    def __init__(self, statements: Statements) -> None:
        self._statements = statements

    async def __call__(self, actor: Actor, publisher_id: UUID, month: str, currency: str | None) -> tuple[str, str]:
        """The file name and the CSV text."""
        found = await self._statements.statement(actor, publisher_id, month, currency)
        statement = found.statement
        return f"statement-{statement.month}-{statement.currency.code}.csv", statement_csv(statement)
