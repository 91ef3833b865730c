"""A marketplace on in-memory adapters with fakes for DNS, the malware scanner and the signer;
steps that drive its use cases as a developer, a publisher's CI and a reviewer would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from dishka import AsyncContainer, Provider, Scope

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.file_storage import InMemoryFileStorage
from devforge.adapters.memory.store import MemoryStore
from devforge.application.common.actor import Actor
from devforge.application.common.file_storage import FileStorage
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.artifact_signer import ArtifactSigner
from devforge.application.marketplace.decide_version import DecideVersionHandler, Decision
from devforge.application.marketplace.dns_resolver import DnsTxtResolver
from devforge.application.marketplace.malware_scanner import MalwareScanner
from devforge.application.marketplace.manage_extensions import (
    CreateExtension,
    CreateExtensionHandler,
    ExtensionListing,
)
from devforge.application.marketplace.ports import AccountDirectory
from devforge.application.marketplace.register_publisher import RegisterPublisher, RegisterPublisherHandler
from devforge.application.marketplace.reviewing import VersionSlot
from devforge.application.marketplace.run_review import WhenVersionUploadedRunReview
from devforge.application.marketplace.show_review import ShowReview
from devforge.application.marketplace.upload_version import UploadVersion, UploadVersionHandler
from devforge.application.marketplace.views import ReviewView, UploadedVersion
from devforge.bootstrap.container import make_container, memory_providers
from devforge.domain.marketplace.permissions import MarketplacePermission
from tests.conftest import manual_clock_provider, settings_for_tests
from tests.outbox_drain import drain

from .fakes import FakeAccountDirectory, FakeArtifactSigner, FakeDnsTxtResolver, FakeMalwareScanner

DEVELOPER_EMAIL = "dev@acme.example"


@dataclass
class Outside:
    dns: FakeDnsTxtResolver = field(default_factory=FakeDnsTxtResolver)
    scanner: FakeMalwareScanner = field(default_factory=FakeMalwareScanner)
    signer: FakeArtifactSigner = field(default_factory=FakeArtifactSigner)
    storage: InMemoryFileStorage = field(default_factory=InMemoryFileStorage)
    accounts: FakeAccountDirectory = field(default_factory=FakeAccountDirectory)

    def provider(self) -> Provider:
        provider = Provider(scope=Scope.APP)
        provider.provide(lambda: self.dns, provides=DnsTxtResolver)
        provider.provide(lambda: self.scanner, provides=MalwareScanner)
        provider.provide(lambda: self.signer, provides=ArtifactSigner)
        provider.provide(lambda: self.storage, provides=FileStorage)
        provider.provide(lambda: self.accounts, provides=AccountDirectory)
        return provider


def marketplace_container(clock: ManualClock, outside: Outside, **settings: Any) -> AsyncContainer:
    base = memory_providers()
    return make_container(settings_for_tests(**settings), manual_clock_provider(clock), outside.provider(), base=base)


async def chunks_of(data: bytes, size: int = 4096) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


@dataclass
class Market:
    container: AsyncContainer
    outside: Outside
    developer: Actor = field(default_factory=lambda: Actor(uuid4()))
    reviewer: Actor = field(default_factory=lambda: Actor.holding(uuid4(), MarketplacePermission.EXTENSIONS_REVIEW))

    async def call(self, use_case: type, *args: Any) -> Any:
        async with self.container() as scope:
            return await (await scope.get(use_case))(*args)

    async def publisher(
        self, namespace: str = "acme", display_name: str = "Acme Tools", caller: Actor | None = None
    ) -> UUID:
        actor = caller or self.developer
        email = DEVELOPER_EMAIL if actor == self.developer else "other@example.com"
        self.outside.accounts.addresses[actor.user_id] = email
        published = await self.call(RegisterPublisherHandler, actor, RegisterPublisher(namespace, display_name))
        return published.id  # type: ignore[no-any-return]

    async def extension(self, publisher_id: UUID, name: str = "rainbow-brackets") -> UUID:
        command = CreateExtension(
            publisher_id, name, ExtensionListing(name.replace("-", " ").title(), "Colours brackets.", ("brackets",))
        )
        view = await self.call(CreateExtensionHandler, self.developer, command)
        return view.extension.id  # type: ignore[no-any-return]

    async def upload(
        self, extension_id: UUID, archive: bytes, version: str = "1.2.0", platform: str = "universal"
    ) -> UploadedVersion:
        command = UploadVersion(extension_id, version, platform, chunks_of(archive))
        return await self.call(UploadVersionHandler, self.developer, command)  # type: ignore[no-any-return]

    async def run_reviews(self) -> int:
        """What the worker does: every pending ``marketplace.version_uploaded`` runs the pipeline."""
        ran = 0
        for event in await self._pending("marketplace.version_uploaded"):
            async with self.container() as scope:
                await (await scope.get(WhenVersionUploadedRunReview)).handle(event)
                await (await scope.get(UnitOfWork)).commit()
            ran += 1
        return ran

    async def settle(self) -> int:
        """What the worker does with everything published so far, the read models' consumers
        included: a listing, a download count or a rating summary is read after this."""
        return await drain(self.container)

    async def review(self, extension_id: UUID, version: str = "1.2.0", caller: Actor | None = None) -> ReviewView:
        return await self.call(ShowReview, caller or self.developer, VersionSlot(extension_id, version))  # type: ignore[no-any-return]

    async def decide(self, extension_id: UUID, decision: Decision, reason: str = "", version: str = "1.2.0") -> Any:
        return await self.call(
            DecideVersionHandler, self.reviewer, VersionSlot(extension_id, version), decision, reason
        )

    async def events(self, name: str) -> list[EventEnvelope]:
        rows = (await self.container.get(MemoryStore)).table("outbox")
        return [row["event"] for row in rows.values() if row["event"].name == name]

    async def _pending(self, name: str) -> list[EventEnvelope]:
        seen = getattr(self, "_seen", set())
        fresh = [event for event in await self.events(name) if event.event_id not in seen]
        self._seen = seen | {event.event_id for event in fresh}
        return fresh
