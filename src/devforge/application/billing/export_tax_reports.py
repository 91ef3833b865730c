"""Finance exports a tax year's reports for filing: Form 1099-K, Form 1099-NEC and DAC7, each as
CSV (``tax_report_csv``), exactly the reportable payees (``domain/billing/tax_reports``)."""

from __future__ import annotations

from devforge.application.billing.tax_report_csv import csv_1099k, csv_1099nec, csv_dac7
from devforge.application.billing.tax_year import TaxYear
from devforge.application.common.actor import Actor
from devforge.domain.billing.tax_reports import TaxReport, dac7_sellers, forms_1099k, forms_1099nec


class ExportTaxReport:
    def __init__(self, tax_year: TaxYear) -> None:
        self._tax_year = tax_year

    async def __call__(self, actor: Actor, year: int, report: TaxReport) -> tuple[str, str]:
        """The file name and the CSV text."""
        rules, payees = await self._tax_year.payees(actor, year)
        name = f"{report.value}-{year}.csv"
        if report is TaxReport.DAC7:
            return name, csv_dac7(year, dac7_sellers(rules, payees))
        forms_k = forms_1099k(rules, payees)
        if report is TaxReport.FORM_1099K:
            return name, csv_1099k(year, forms_k)
        with_k = {form.profile.publisher_id for form in forms_k}
        return name, csv_1099nec(year, forms_1099nec(rules, payees, with_k))
