"""The licensing context's HTTP controllers (``http_routes`` of ``bootstrap/contexts/licensing.py``),
and the validation fast endpoint beside them."""

from __future__ import annotations

from litestar.types import ASGIApp

from devforge.bootstrap.settings import Settings
from devforge.entrypoints.http.app_container import ContainerOf
from devforge.entrypoints.http.licensing.catalog_controller import LicensingCatalogController
from devforge.entrypoints.http.licensing.controller import LicensesController
from devforge.entrypoints.http.licensing.entitlements_controller import LicensingEntitlementsController
from devforge.entrypoints.http.licensing.offline_controller import OfflineLicensesController
from devforge.entrypoints.http.licensing.policies_controller import LicensingPoliciesController
from devforge.entrypoints.http.licensing.validate_fast_path import ValidateFastPath

CONTROLLERS = (
    LicensesController,
    OfflineLicensesController,
    LicensingCatalogController,
    LicensingPoliciesController,
    LicensingEntitlementsController,
)


def fast_endpoint(fallback: ASGIApp, container_of: ContainerOf, settings: Settings) -> ASGIApp:
    """A plain validation is answered without Litestar's routing, signature parsing and
    dishka's per-request container, behind the same steps as every route: see ``ValidateFastPath``."""
    return ValidateFastPath(fallback, container_of, settings.http.max_body_bytes)
