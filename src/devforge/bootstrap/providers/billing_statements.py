"""Billing's statements and developer revenue: the use cases (every profile), the PDF renderer,
and one seller's view of the ledger on SQL or memory."""

from __future__ import annotations

from datetime import timedelta

from dishka import Provider, Scope, provide, provide_all

from devforge.adapters.documents.kept_reports import KeptStatementRenderer
from devforge.adapters.documents.pdf_typesetting import PdfTypesetting
from devforge.adapters.memory.billing_statements import InMemorySellerLedger, InMemoryStatementOrders
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.persistence.billing_statements import SqlaSellerLedger, SqlaStatementOrders
from devforge.application.billing.get_statement import GetStatement
from devforge.application.billing.get_statement_csv import GetStatementCsv
from devforge.application.billing.get_statement_pdf import GetStatementPdf
from devforge.application.billing.list_statements import ListStatements
from devforge.application.billing.publisher_earnings import PublisherEarnings
from devforge.application.billing.revenue_reader import RevenueReader
from devforge.application.billing.show_revenue import ShowRevenue
from devforge.application.billing.statement_details import StatementDetails
from devforge.application.billing.statement_ports import SellerLedger, StatementOrders, StatementRenderer
from devforge.application.billing.statements import StatementReadings, Statements
from devforge.bootstrap.settings.billing import BillingSettings
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.revenue import PayoutSchedule


class StatementsUseCasesProvider(Provider):
    scope = Scope.REQUEST
    use_cases = provide_all(
        Statements,
        StatementDetails,
        RevenueReader,
        PublisherEarnings,
        ListStatements,
        GetStatement,
        GetStatementCsv,
        GetStatementPdf,
        ShowRevenue,
    )

    @provide(scope=Scope.APP)
    def readings(self) -> StatementReadings:
        """One per process: statements asked for at once share one build (``statements.py``)."""
        return StatementReadings()

    @provide(scope=Scope.APP)
    def renderer(self, typesetting: PdfTypesetting) -> StatementRenderer:
        """Each statement's content typeset once per process (``kept_reports.py``)."""
        return KeptStatementRenderer(typesetting)

    @provide(scope=Scope.APP)
    def payout_schedule(self, billing: BillingSettings) -> PayoutSchedule:
        currencies = [Currency.of(entry.partition("=")[0]) for entry in billing.payout_minimums]
        return PayoutSchedule(
            day_of_month=billing.payout_day_of_month,
            hold=timedelta(days=billing.payout_hold_days),
            minimums={currency: billing.payout_minimum(currency) for currency in currencies},
            default_minimum=billing.payout_minimum_default,
        )


class SqlaStatementsProvider(Provider):
    scope = Scope.REQUEST
    ledger = provide(SqlaSellerLedger, provides=SellerLedger, scope=Scope.APP)  # on the common read path
    orders = provide(SqlaStatementOrders, provides=StatementOrders, scope=Scope.APP)  # on the common read path


class MemoryStatementsProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def ledger(self, store: MemoryStore) -> SellerLedger:
        return InMemorySellerLedger(store)

    @provide(scope=Scope.APP)
    def orders(self, store: MemoryStore) -> StatementOrders:
        return InMemoryStatementOrders(store)
