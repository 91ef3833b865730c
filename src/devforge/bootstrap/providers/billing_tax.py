"""Billing's tax profiles and year-end tax reports: the use cases and ``PayeeTaxStatus`` (every
profile; the payout runs read it), and the profiles' repository on SQL or memory. The TIN is
sealed with the container's ``SecretBox`` (AES-GCM under the server key in SQL profiles)."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from devforge.adapters.documents.kept_reports import KeptTaxFormRenderer
from devforge.adapters.documents.pdf_typesetting import PdfTypesetting
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.tax_profiles import InMemoryTaxProfileReads, InMemoryTaxProfileRepository
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.persistence.tax_profiles import SqlaTaxProfileReads, SqlaTaxProfileRepository
from devforge.application.billing.export_tax_reports import ExportTaxReport
from devforge.application.billing.get_tax_form_pdf import GetTaxFormPdf
from devforge.application.billing.get_tax_profile import GetTaxProfile
from devforge.application.billing.payee_tax_status import TaxProfilePayeeTaxStatus
from devforge.application.billing.payout_ports import PayeeTaxStatus
from devforge.application.billing.record_service_payment import RecordServicePaymentHandler
from devforge.application.billing.submit_tax_profile import SubmitTaxProfileHandler
from devforge.application.billing.tax_profile_ports import TaxProfileReads, TaxProfileRepository
from devforge.application.billing.tax_report_ports import TaxFormRenderer
from devforge.application.billing.tax_year import TaxYear
from devforge.domain.billing.withholding import WithholdingRates


class BillingTaxUseCasesProvider(Provider):
    scope = Scope.REQUEST
    use_cases = provide_all(
        SubmitTaxProfileHandler, GetTaxProfile, TaxYear, ExportTaxReport, GetTaxFormPdf, RecordServicePaymentHandler
    )

    @provide(scope=Scope.APP)
    def renderer(self, typesetting: PdfTypesetting) -> TaxFormRenderer:
        """Each form's content typeset once per process (``kept_reports.py``)."""
        return KeptTaxFormRenderer(typesetting)

    @provide(scope=Scope.APP)
    def rates(self) -> WithholdingRates:
        return WithholdingRates()

    @provide
    def payee_tax_status(self, profiles: TaxProfileRepository, rates: WithholdingRates) -> PayeeTaxStatus:
        return TaxProfilePayeeTaxStatus(profiles, rates)


class SqlaBillingTaxProvider(Provider):
    scope = Scope.REQUEST
    profiles = provide(SqlaTaxProfileRepository, provides=TaxProfileRepository)
    reads = provide(SqlaTaxProfileReads, provides=TaxProfileReads, scope=Scope.APP)  # on the common read path


class MemoryBillingTaxProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def profiles(self, transaction: InMemoryUnitOfWork) -> TaxProfileRepository:
        return InMemoryTaxProfileRepository(transaction.store)

    @provide(scope=Scope.APP)
    def reads(self, store: MemoryStore) -> TaxProfileReads:
        return InMemoryTaxProfileReads(store)
