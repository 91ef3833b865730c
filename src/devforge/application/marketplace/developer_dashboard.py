"""The developer's dashboard: onboarding status, their publishers, each extension with its
versions, their review states and downloads."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.common.actor import Actor
from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository, VersionRepository
from devforge.application.marketplace.views import ExtensionView
from devforge.domain.marketplace.publisher import Publisher


@dataclass(frozen=True)
class Dashboard:
    publishers: tuple[Publisher, ...]
    extensions: tuple[ExtensionView, ...]

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


class ShowDeveloperDashboard:
    def __init__(
        self, publishers: PublisherRepository, extensions: ExtensionRepository, versions: VersionRepository
    ) -> None:
        self._publishers, self._extensions, self._versions = publishers, extensions, versions

    async def __call__(self, actor: Actor) -> Dashboard:
        publishers = await self._publishers.list_for_member(actor.user_id)
        namespaces = {publisher.id: publisher.namespace for publisher in publishers}
        views = []
        extensions = [e for e in await self._extensions.list_for_publishers(list(namespaces)) if not e.deleted]
        versions_of = await self._versions.list_for_extensions([extension.id for extension in extensions])
        for extension in extensions:
            versions = [v for v in versions_of[extension.id] if v.deleted_at is None]
            views.append(ExtensionView(extension, namespaces[extension.publisher_id], tuple(versions)))
        return Dashboard(tuple(publishers), tuple(views))
