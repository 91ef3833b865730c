"""The developer's dashboard: onboarding status, their publishers, each extension with its
versions, their review states and downloads, each publisher's revenue at a glance (billing's,
through the ``PublisherRevenue`` port) and its payout account (``PublisherPayoutStatus``). A plain
read of committed data (``MemberCatalogReader``: no unit of work).

A developer's dashboards asked at once share one reading (``DeveloperDashboardReadings``), keyed by the
developer: the dashboard is only ever the caller's own, so nobody joins another's reading."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.shared_readings import SharedReadings
from devforge.application.marketplace.ports import MemberCatalogReader
from devforge.application.marketplace.publisher_payouts import PayoutAccountAtAGlance, PublisherPayoutStatus
from devforge.application.marketplace.publisher_revenue import PublisherRevenue, RevenueAtAGlance
from devforge.application.marketplace.views import ExtensionView
from devforge.domain.marketplace.publisher import Publisher


@dataclass(frozen=True)
class Dashboard:
    publishers: tuple[Publisher, ...]
    extensions: tuple[ExtensionView, ...]
    revenue: tuple[RevenueAtAGlance, ...] = ()
    payout_accounts: tuple[PayoutAccountAtAGlance, ...] = ()

    @property
    def onboarding(self) -> dict[str, bool]:
        versions = [version for view in self.extensions for version in view.versions]
        return {
            "publisherRegistered": bool(self.publishers),
            "domainVerified": any(publisher.verified for publisher in self.publishers),
            "extensionCreated": bool(self.extensions),
            "versionUploaded": bool(versions),
            "versionPublished": any(version.published for version in versions),
        }


class DeveloperDashboardReadings(SharedReadings):
    """One per process: the developers' dashboards being read now."""


class ShowDeveloperDashboard:
    def __init__(
        self,
        catalog: MemberCatalogReader,
        revenue: PublisherRevenue,
        payouts: PublisherPayoutStatus,
        readings: DeveloperDashboardReadings,
    ) -> None:
        self._catalog, self._revenue, self._payouts, self._readings = catalog, revenue, payouts, readings

    async def __call__(self, actor: Actor) -> Dashboard:
        user_id = actor.user_id
        return await self._readings.run(("developer_dashboard", user_id), lambda: self._read(user_id))

    async def _read(self, user_id: UUID) -> Dashboard:
        held = await self._catalog.member_catalog(user_id)
        publishers = held.publishers
        namespaces = {publisher.id: publisher.namespace for publisher in publishers}
        views = []
        for extension in (e for e in held.extensions if not e.deleted):
            versions = [v for v in held.versions.get(extension.id, []) if v.deleted_at is None]
            views.append(ExtensionView(extension, namespaces[extension.publisher_id], tuple(versions)))
        revenue = [figure for publisher in publishers for figure in await self._revenue.at_a_glance(publisher.id)]
        payout_accounts = [await self._payouts.payout_account(publisher.id) for publisher in publishers]
        return Dashboard(tuple(publishers), tuple(views), tuple(revenue), tuple(payout_accounts))
