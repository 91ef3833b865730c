"""Create, update, delete and show extensions. Members of the publisher manage them; anyone
else meets a missing extension. A deleted extension is gone for everyone but administrators."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.channel_ports import DependencyRepository
from devforge.application.marketplace.entitlements import EntitlementCheck, ensure_may_link
from devforge.application.marketplace.membership import ensure_member, is_insider
from devforge.application.marketplace.name_guard import NameGuard
from devforge.application.marketplace.ports import (
    CatalogReader,
    ExtensionRepository,
    PublisherRepository,
    VersionRepository,
)
from devforge.application.marketplace.publication import record_events
from devforge.application.marketplace.quotas import DAY, QuotaGate
from devforge.application.marketplace.views import ExtensionView
from devforge.domain.marketplace.errors import ExtensionHasDependents, ExtensionNotFound
from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.permissions import MarketplacePermission


@dataclass(frozen=True, slots=True)
class ExtensionListing:
    display_name: str
    description: str = ""
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    license_product_id: UUID | None = None  # licensing's product: the extension is paid while linked


@dataclass(frozen=True, slots=True)
class CreateExtension:
    publisher_id: UUID
    name: str
    listing: ExtensionListing


class CreateExtensionHandler:
    """The name and the display name pass the name rules (``NameGuard``) in the extension scope,
    against every extension's names, deleted ones too; a reserved name needs an administrator or
    the publisher's verified matching domain. At most ``extensions_per_day`` per account. A
    linked licensing product must be the caller's own (an administrator may link any)."""

    def __init__(
        self,
        uow: UnitOfWork,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        entitlements: EntitlementCheck,
        names: NameGuard,
        quotas: QuotaGate,
        clock: Clock,
    ) -> None:
        self._uow, self._publishers, self._extensions, self._clock = uow, publishers, extensions, clock
        self._entitlements, self._names, self._quotas = entitlements, names, quotas

    async def __call__(self, actor: Actor, command: CreateExtension) -> ExtensionView:
        publisher = ensure_member(actor, await self._publishers.get(command.publisher_id))
        now, listing = self._clock.now(), command.listing
        extension = Extension(
            id=uuid4(),
            publisher_id=publisher.id,
            name=command.name.strip(),
            display_name=listing.display_name,
            description=listing.description,
            tags=listing.tags,
            categories=listing.categories,
            created_at=now,
            updated_at=now,
            license_product_id=listing.license_product_id,
        )
        await ensure_may_link(self._entitlements, actor, listing.license_product_id)
        await self._quotas.spend(actor, "extensions", self._quotas.quotas.extensions_per_day, DAY)
        names = (("name", extension.name), ("displayName", extension.display_name))
        domains = (publisher.domain,) if publisher.verified and publisher.domain else ()
        await self._names.claim(actor, "extension", extension.id, names, verified_domains=domains)
        await self._extensions.add(extension)
        await self._uow.commit()
        return ExtensionView(extension, publisher.namespace)


class ExtensionAccess:
    """Loads an extension the caller may manage, with its publisher."""

    def __init__(self, publishers: PublisherRepository, extensions: ExtensionRepository) -> None:
        self._publishers, self._extensions = publishers, extensions

    async def managed(self, actor: Actor, extension_id: UUID, *, for_update: bool = False) -> ExtensionView:
        extension = await self._extensions.get(extension_id, for_update=for_update)
        if extension is None or (extension.deleted and not actor.may(MarketplacePermission.EXTENSIONS_REVIEW)):
            raise ExtensionNotFound("No extension with this id.")
        publisher = ensure_member(actor, await self._publishers.get(extension.publisher_id), extension=True)
        return ExtensionView(extension, publisher.namespace, publisher=publisher)


class UpdateExtensionHandler:
    """A new display name passes the name rules as at creation (the old one is freed). The
    listing follows ``marketplace.extension_updated`` through its consumer."""

    def __init__(
        self,
        uow: UnitOfWork,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        entitlements: EntitlementCheck,
        names: NameGuard,
        outbox: Outbox,
        clock: Clock,
    ) -> None:
        self._uow, self._extensions, self._outbox, self._clock = uow, extensions, outbox, clock
        self._access, self._entitlements = ExtensionAccess(publishers, extensions), entitlements
        self._names = names

    async def __call__(self, actor: Actor, extension_id: UUID, listing: ExtensionListing) -> ExtensionView:
        view = await self._access.managed(actor, extension_id, for_update=True)
        before = view.extension.display_name
        if listing.license_product_id != view.extension.license_product_id:
            await ensure_may_link(self._entitlements, actor, listing.license_product_id)
            view.extension.link_product(listing.license_product_id, self._clock.now())
        view.extension.update(
            display_name=listing.display_name,
            description=listing.description,
            tags=listing.tags,
            categories=listing.categories,
            now=self._clock.now(),
        )
        if view.extension.display_name != before:
            names = (("name", view.extension.name), ("displayName", view.extension.display_name))
            publisher = view.publisher
            domains = (publisher.domain,) if publisher and publisher.verified and publisher.domain else ()
            await self._names.rename(actor, "extension", view.extension.id, names, verified_domains=domains)
        await self._extensions.update(view.extension)
        await record_events(self._outbox, view.extension)
        await self._uow.commit()
        return view


class DeleteExtensionHandler:
    """Soft: the name and every (version, platform) slot stay taken for good. Refused while another
    live extension's published version depends on it."""

    def __init__(
        self,
        uow: UnitOfWork,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        versions: VersionRepository,
        dependencies: DependencyRepository,
        outbox: Outbox,
        clock: Clock,
    ) -> None:
        self._uow, self._extensions, self._versions, self._outbox, self._clock = (
            uow,
            extensions,
            versions,
            outbox,
            clock,
        )
        self._dependencies = dependencies
        self._access = ExtensionAccess(publishers, extensions)

    async def __call__(self, actor: Actor, extension_id: UUID) -> None:
        view = await self._access.managed(actor, extension_id, for_update=True)
        dependents = await self._dependencies.dependents(view.namespace, view.extension.name, excluding=extension_id)
        if dependents and not view.extension.deleted:
            depend = "depends" if len(dependents) == 1 else "depend"
            message = f"{', '.join(dependents)} {depend} on this extension; it cannot be deleted while they do."
            raise ExtensionHasDependents(message)
        now = self._clock.now()
        versions = await self._versions.list_for_extension(extension_id)
        view.extension.delete(now, tuple(version.archive_key for version in versions if version.published))
        for version in versions:
            if version.deleted_at is None:
                version.delete(now)
                await self._versions.update(version)
        await self._extensions.update(view.extension)
        await record_events(self._outbox, view.extension)
        await self._uow.commit()


class GetExtension:
    """Anyone sees a live extension and its published versions; members and administrators also
    see the versions still in review. A plain read: committed data through the ``CatalogReader``."""

    def __init__(self, catalog: CatalogReader) -> None:
        self._catalog = catalog

    async def __call__(self, actor: Actor | None, extension_id: UUID) -> ExtensionView:
        entry = await self._catalog.entry(extension_id)
        if entry is None or entry.extension.deleted:
            raise ExtensionNotFound("No extension with this id.")
        insider = actor is not None and is_insider(actor, entry.publisher)
        versions = [
            version for version in entry.versions if version.deleted_at is None and (insider or version.published)
        ]
        if not insider and not versions:
            raise ExtensionNotFound("No extension with this id.")
        return ExtensionView(
            entry.extension, entry.publisher.namespace, tuple(versions), custom_tags=dict(entry.custom_tags)
        )
