"""A month's statement as the PDF a developer keeps."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.statement_ports import StatementRenderer
from devforge.application.billing.statements import Statements
from devforge.application.common.actor import Actor


class GetStatementPdf:
    def __init__(self, statements: Statements, renderer: StatementRenderer) -> None:
        self._statements, self._renderer = statements, renderer

    async def __call__(self, actor: Actor, publisher_id: UUID, month: str, currency: str | None) -> tuple[str, bytes]:
        """The file name and the PDF."""
        found = await self._statements.statement(actor, publisher_id, month, currency)
        statement = found.statement
        pdf = await self._renderer.render_statement(statement, found.seller.name)
        return f"statement-{statement.month}-{statement.currency.code}.pdf", pdf
