"""Finance downloads a payee's copy of its Form 1099-K or 1099-NEC for a tax year, as PDF. A payee
not reportable on that form that year (or no payee) answers 404."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.invoice_ports import Seller
from devforge.application.billing.tax_report_ports import TaxFormRenderer
from devforge.application.billing.tax_year import TaxYear
from devforge.application.common.actor import Actor
from devforge.domain.billing.tax_errors import PayeeNotFound
from devforge.domain.billing.tax_reports import TaxReport, forms_1099k, forms_1099nec


class GetTaxFormPdf:
    def __init__(self, tax_year: TaxYear, renderer: TaxFormRenderer, seller: Seller) -> None:
        self._tax_year, self._renderer, self._filer = tax_year, renderer, seller.party.name

    async def __call__(self, actor: Actor, year: int, report: TaxReport, publisher_id: UUID) -> tuple[str, bytes]:
        """The file name and the PDF."""
        rules, payees = await self._tax_year.payee(actor, year, publisher_id)
        forms_k = forms_1099k(rules, payees)
        name = f"{report.value}-{year}-{publisher_id}.pdf"
        if report is TaxReport.FORM_1099K and forms_k:
            return name, await self._renderer.render_1099k(year, forms_k[0], self._filer)
        if report is TaxReport.FORM_1099NEC:
            with_k = {form.profile.publisher_id for form in forms_k}
            forms_nec = forms_1099nec(rules, payees, with_k)
            if forms_nec:
                return name, await self._renderer.render_1099nec(year, forms_nec[0], self._filer)
        raise PayeeNotFound(f"This publisher is not reportable on Form {report.value.upper()} for {year}.")
