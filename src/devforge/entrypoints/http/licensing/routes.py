"""The licensing context's HTTP controllers (``http_routes`` of ``bootstrap/contexts/licensing.py``)."""

from __future__ import annotations

from devforge.entrypoints.http.licensing.catalog_controller import LicensingCatalogController
from devforge.entrypoints.http.licensing.controller import LicensesController
from devforge.entrypoints.http.licensing.entitlements_controller import LicensingEntitlementsController
from devforge.entrypoints.http.licensing.offline_controller import OfflineLicensesController
from devforge.entrypoints.http.licensing.policies_controller import LicensingPoliciesController

CONTROLLERS = (
    LicensesController,
    OfflineLicensesController,
    LicensingCatalogController,
    LicensingPoliciesController,
    LicensingEntitlementsController,
)
