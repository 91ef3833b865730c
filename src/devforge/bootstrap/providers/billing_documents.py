"""Billing's documents: invoice and credit-note use cases, the seller block and the PDF renderer
(every profile), the repositories, ledger and number sequence on SQL or memory, and the orders'
view the documents read (``OrdersForInvoices`` over the orders' repositories)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide, provide_all

from devforge.adapters.documents.kept_renderer import KeptInvoiceRenderer
from devforge.adapters.documents.pdf_typesetting import PdfTypesetting
from devforge.adapters.memory.billing_documents import (
    InMemoryCreditNoteRepository,
    InMemoryDocumentNumberSequence,
    InMemoryInvoiceRepository,
    InMemoryLedgerRepository,
    InMemoryRefundRepository,
)
from devforge.adapters.memory.billing_fees import InMemoryProcessorFeeRepository
from devforge.adapters.memory.billing_reads import InMemoryDocumentReader
from devforge.adapters.memory.finance_reads import InMemoryFinanceReader
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.persistence.billing_documents import (
    SqlaCreditNoteRepository,
    SqlaDocumentNumberSequence,
    SqlaInvoiceRepository,
    SqlaLedgerRepository,
    SqlaRefundRepository,
)
from devforge.adapters.persistence.billing_fees import SqlaProcessorFeeRepository
from devforge.adapters.persistence.billing_reads import SqlaDocumentReader
from devforge.adapters.persistence.finance_reads import SqlaFinanceReader
from devforge.application.billing.fee_ports import ProcessorFeeRepository
from devforge.application.billing.finance_ports import FinanceReader
from devforge.application.billing.get_credit_note import GetCreditNote
from devforge.application.billing.get_credit_note_pdf import GetCreditNotePdf
from devforge.application.billing.get_invoice import GetInvoice
from devforge.application.billing.get_invoice_pdf import GetInvoicePdf
from devforge.application.billing.invoice_orders import OrdersForInvoices
from devforge.application.billing.invoice_ports import (
    CreditNoteRepository,
    DocumentNumberSequence,
    DocumentReader,
    InvoiceRenderer,
    InvoiceRepository,
    LedgerRepository,
    OrderRefunds,
    PaidOrders,
    RefundRepository,
    Seller,
    SoldLines,
)
from devforge.application.billing.list_invoices import ListInvoices
from devforge.application.billing.processor_fee_estimates import ProcessorFeeEstimates
from devforge.application.billing.reconcile_payments import ReconcilePayments
from devforge.application.billing.record_dispute import (
    RecordDispute,
)
from devforge.application.billing.refund_order import RefundOrderHandler
from devforge.application.billing.report_fees import ReportFees
from devforge.application.billing.report_flights import ReportFlights
from devforge.application.billing.report_payables import ReportPayables
from devforge.application.billing.report_refunds import ReportRefunds
from devforge.application.billing.report_revenue import ReportRevenue
from devforge.application.billing.report_tax import ReportTax
from devforge.application.billing.resolve_unknown_refunds import ResolveUnknownRefunds
from devforge.application.billing.settle_open_processor_fees import SettleOpenProcessorFees
from devforge.application.billing.settle_processor_fees import SettleProcessorFees
from devforge.application.billing.subscription_ledger import SubscriptionLedger
from devforge.bootstrap.settings.billing import BillingSettings
from devforge.domain.billing.invoice import Party
from devforge.domain.billing.processor_fees import FeeSchedule


class BillingDocumentsUseCasesProvider(Provider):
    scope = Scope.REQUEST
    use_cases = provide_all(
        GetInvoice,
        GetInvoicePdf,
        ListInvoices,
        GetCreditNote,
        GetCreditNotePdf,
        RefundOrderHandler,
        ResolveUnknownRefunds,
        RecordDispute,
        ProcessorFeeEstimates,
        SettleProcessorFees,
        SettleOpenProcessorFees,
        ReportRevenue,
        SubscriptionLedger,
        ReportRefunds,
        ReportFees,
        ReportTax,
        ReportPayables,
        ReconcilePayments,
    )

    @provide(scope=Scope.APP)
    def report_flights(self) -> ReportFlights:
        """One per process: the financial reports being read now (report_flights.py)."""
        return ReportFlights()

    @provide(scope=Scope.APP)
    def fee_schedule(self, billing: BillingSettings) -> FeeSchedule:
        return billing.fee_schedule()

    @provide(scope=Scope.APP)
    def seller(self, billing: BillingSettings) -> Seller:
        address = tuple(part.strip() for part in billing.invoice_seller_address.split("|") if part.strip())
        return Seller(
            Party(
                name=billing.invoice_seller_name,
                email=billing.invoice_seller_email,
                address=address,
                country=billing.invoice_seller_country or None,
                vat_id=billing.invoice_seller_vat_id or None,
            )
        )

    @provide(scope=Scope.APP)
    async def typesetting(self, billing: BillingSettings) -> AsyncIterator[PdfTypesetting]:
        """Every PDF of the process, in one child process started at the first (``pdf_typesetting.py``)."""
        typesetting = PdfTypesetting(in_child=billing.pdf_process)
        yield typesetting
        await typesetting.close()

    @provide(scope=Scope.APP)
    def renderer(self, typesetting: PdfTypesetting) -> InvoiceRenderer:
        """Each issued document's state typeset once per process (``kept_renderer.py``)."""
        return KeptInvoiceRenderer(typesetting)


class BillingDocumentsOrdersProvider(Provider):
    """Every profile: documents read paid orders, and tell them their refunds, through the
    orders' own repositories."""

    scope = Scope.REQUEST
    orders_for_invoices = provide(OrdersForInvoices)

    @provide
    def paid_orders(self, orders: OrdersForInvoices) -> PaidOrders:
        return orders

    @provide
    def order_refunds(self, orders: OrdersForInvoices) -> OrderRefunds:
        return orders

    @provide
    def sold_lines(self, orders: OrdersForInvoices) -> SoldLines:
        return orders


class SqlaBillingDocumentsProvider(Provider):
    scope = Scope.REQUEST
    invoices = provide(SqlaInvoiceRepository, provides=InvoiceRepository)
    credit_notes = provide(SqlaCreditNoteRepository, provides=CreditNoteRepository)
    refunds = provide(SqlaRefundRepository, provides=RefundRepository)
    ledger = provide(SqlaLedgerRepository, provides=LedgerRepository)
    numbers = provide(SqlaDocumentNumberSequence, provides=DocumentNumberSequence)
    processor_fees = provide(SqlaProcessorFeeRepository, provides=ProcessorFeeRepository)
    finance = provide(SqlaFinanceReader, provides=FinanceReader)
    reader = provide(SqlaDocumentReader, provides=DocumentReader, scope=Scope.APP)


class MemoryBillingDocumentsProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def invoices(self, transaction: InMemoryUnitOfWork) -> InvoiceRepository:
        return InMemoryInvoiceRepository(transaction.store)

    @provide
    def credit_notes(self, transaction: InMemoryUnitOfWork) -> CreditNoteRepository:
        return InMemoryCreditNoteRepository(transaction.store)

    @provide(scope=Scope.APP)
    def reader(self, store: MemoryStore) -> DocumentReader:
        return InMemoryDocumentReader(store)

    @provide
    def refunds(self, transaction: InMemoryUnitOfWork) -> RefundRepository:
        return InMemoryRefundRepository(transaction.store)

    @provide
    def ledger(self, transaction: InMemoryUnitOfWork) -> LedgerRepository:
        return InMemoryLedgerRepository(transaction.store)

    @provide
    def numbers(self, transaction: InMemoryUnitOfWork) -> DocumentNumberSequence:
        return InMemoryDocumentNumberSequence(transaction.store)

    @provide
    def processor_fees(self, transaction: InMemoryUnitOfWork) -> ProcessorFeeRepository:
        return InMemoryProcessorFeeRepository(transaction.store)

    @provide(scope=Scope.APP)
    def finance(self, store: MemoryStore) -> FinanceReader:
        return InMemoryFinanceReader(store)
