"""The licensing context's HTTP controllers (``http_routes`` of ``bootstrap/contexts/licensing.py``),
and the validation fast path in front of them."""

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
from devforge.entrypoints.http.rate_limit import Limit

CONTROLLERS = (
    LicensesController,
    OfflineLicensesController,
    LicensingCatalogController,
    LicensingPoliciesController,
    LicensingEntitlementsController,
)


def in_front(app: ASGIApp, container_of: ContainerOf, settings: Settings) -> ASGIApp:
    """A plain validation is answered ahead of Litestar and dishka's per-request container,
    counted against the ``license`` route group's limit: see ``ValidateFastPath``."""
    limits = settings.rate_limits
    limit = Limit(limits.rate_limit_license_per_minute, limits.rate_limit_window_seconds)
    return ValidateFastPath(app, container_of, limit, settings.http.max_body_bytes)
