"""The billing context's HTTP controllers (``http_routes`` of ``bootstrap/contexts/billing.py``)."""

from __future__ import annotations

from devforge.entrypoints.http.billing.controller import PaymentsController
from devforge.entrypoints.http.billing.documents_controller import PaymentDocumentsController
from devforge.entrypoints.http.billing.extension_prices_controller import ExtensionPricesController
from devforge.entrypoints.http.billing.payout_account_controller import PayoutAccountController
from devforge.entrypoints.http.billing.payouts_controller import PayoutsController
from devforge.entrypoints.http.billing.reports_controller import FinancialReportsController
from devforge.entrypoints.http.billing.revenue_controller import RevenueController
from devforge.entrypoints.http.billing.sandbox_controller import SandboxCheckoutController
from devforge.entrypoints.http.billing.sandbox_onboarding_controller import SandboxOnboardingController
from devforge.entrypoints.http.billing.statements_controller import StatementsController
from devforge.entrypoints.http.billing.tax_profile_controller import TaxProfileController
from devforge.entrypoints.http.billing.tax_reports_controller import ServicePaymentsController, TaxReportsController

CONTROLLERS = (
    PaymentsController,
    PaymentDocumentsController,
    SandboxCheckoutController,
    ExtensionPricesController,
    StatementsController,
    TaxProfileController,
    RevenueController,
    PayoutsController,
    TaxReportsController,
    ServicePaymentsController,
    PayoutAccountController,
    SandboxOnboardingController,
    FinancialReportsController,
)
