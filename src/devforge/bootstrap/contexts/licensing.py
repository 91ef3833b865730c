"""Licensing: products, policies, licenses and machines, online validation and offline files,
and the licenses that billing's orders pay for."""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from dishka import AsyncContainer, Provider

from devforge.adapters.persistence.tables import licensing as licensing_tables
from devforge.application.licensing.announce_license_expiry import BATCH, AnnounceLicenseExpiry
from devforge.application.licensing.cull_dead_machines import CullDeadMachines
from devforge.application.licensing.flush_validation_tally import FlushValidationTally
from devforge.application.licensing.when_license_changed_forget_cached_license import (
    WhenLicenseChangedForgetCachedLicense,
)
from devforge.application.licensing.when_order_paid_issue_license import WhenOrderPaidIssueLicense
from devforge.application.licensing.when_order_refunded_revoke_license import WhenOrderRefundedRevokeLicense
from devforge.application.licensing.when_subscription_payment_failed_suspend_license import (
    WhenSubscriptionPaymentFailedSuspendLicense,
)
from devforge.application.licensing.when_subscription_renewed_renew_license import (
    WhenSubscriptionRenewedRenewLicense,
)
from devforge.bootstrap.context import Context, PeriodicJob, tables_of
from devforge.bootstrap.providers.licensing import (
    DiskLicenseSignerProvider,
    LicensingUseCasesProvider,
    MemoryLicensingProvider,
    SqlaLicensingProvider,
)
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.licensing import LicensingSettings
from devforge.domain.identity.roles import Role
from devforge.domain.licensing.permissions import LicensingPermission

log = structlog.get_logger(__name__)

_LICENSEE = {LicensingPermission.LICENSES_READ_OWN}
_VENDOR = _LICENSEE | {LicensingPermission.LICENSES_MANAGE}


def adapters(_: Settings) -> Sequence[Provider]:
    return (DiskLicenseSignerProvider(),)


async def cull_dead_machines(container: AsyncContainer) -> bool:
    """Frees the seats of heartbeat machines that stopped pinging (interval + grace)."""
    async with container() as scope:
        report = await (await scope.get(CullDeadMachines))()
    if report.machines_culled:
        log.info("machines_culled", licenses=report.licenses_seen, machines=report.machines_culled)
    return False


async def announce_license_expiry(container: AsyncContainer) -> bool:
    """Sends "expiring soon" and "expired" once per license term, through the outbox."""
    async with container() as scope:
        report = await (await scope.get(AnnounceLicenseExpiry))()
    if report.announced:
        log.info("license_expiry_announced", licenses=report.announced)
    return report.candidates >= BATCH


async def flush_validations(container: AsyncContainer) -> bool:
    """Writes the validations this API process counted (usage, first-validation clocks, failures)."""
    async with container() as scope:
        report = await (await scope.get(FlushValidationTally))()
    if report.licenses:
        log.debug("validations_flushed", licenses=report.licenses, validations=report.validations)
    return False


def _flush_seconds(settings: Settings) -> float:
    return settings.section(LicensingSettings).validation_flush_seconds


CONTEXT = Context(
    name="licensing",
    providers=(LicensingUseCasesProvider,),
    sql=(SqlaLicensingProvider,),
    memory=(MemoryLicensingProvider,),
    adapters=adapters,
    settings=LicensingSettings,
    consumers=(
        WhenLicenseChangedForgetCachedLicense,
        WhenOrderPaidIssueLicense,
        WhenOrderRefundedRevokeLicense,
        WhenSubscriptionRenewedRenewLicense,
        WhenSubscriptionPaymentFailedSuspendLicense,
    ),
    periodic_jobs=(
        PeriodicJob("cull_dead_machines", 60.0, cull_dead_machines),
        PeriodicJob("announce_license_expiry", 60.0, announce_license_expiry),
    ),
    api_jobs=(PeriodicJob("flush_validation_tally", _flush_seconds, flush_validations),),
    http_routes="devforge.entrypoints.http.licensing.routes",
    permissions={Role.CUSTOMER: _LICENSEE, Role.DEVELOPER: _VENDOR, Role.ADMIN: _VENDOR | {LicensingPermission.ADMIN}},
    tables=tables_of(licensing_tables),
)
