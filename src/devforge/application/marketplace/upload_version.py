"""Upload a version: the package streams into object storage under a key the server chooses, with
a hard size cap, and the version enters review (``marketplace.version_uploaded``).

At most ``versions_per_hour`` uploads per account (429 with ``Retry-After`` beyond), and at most
``marketplace_upload_streams`` bodies read at once per process (``upload_streams.py``).
(extension, version, target platform) is taken once and for good: a slot that was ever used,
deleted or not, refuses the upload before a byte is stored.
"""

from __future__ import annotations

from collections.abc import AsyncIterable
from dataclasses import dataclass
from uuid import UUID, uuid4

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.file_storage import BlobTooLarge, FileStorage
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.manage_extensions import ExtensionAccess
from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository, VersionRepository
from devforge.application.marketplace.publication import record_events
from devforge.application.marketplace.quotas import HOUR, QuotaGate
from devforge.application.marketplace.upload_streams import UploadStreams
from devforge.application.marketplace.views import UploadedVersion
from devforge.domain.marketplace.errors import PackageTooLarge, VersionInvalid, VersionSlotTaken
from devforge.domain.marketplace.semver import Version
from devforge.domain.marketplace.version import ExtensionVersion, ensure_target_platform

PACKAGE_CONTENT_TYPE = "application/zip"


@dataclass(frozen=True)
class UploadVersion:
    extension_id: UUID
    version: str
    target_platform: str
    chunks: AsyncIterable[bytes]
    announced_bytes: int | None = None
    """The size the client announced (HTTP's ``Content-Length``): past the limit, the upload is
    refused at once, before anything is read or looked up."""


class UploadVersionHandler:
    def __init__(
        self,
        uow: UnitOfWork,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        versions: VersionRepository,
        storage: FileStorage,
        outbox: Outbox,
        clock: Clock,
        max_package_bytes: int,
        *,
        quotas: QuotaGate,
        streams: UploadStreams,
    ) -> None:
        self._uow, self._versions, self._storage, self._outbox, self._clock = uow, versions, storage, outbox, clock
        self._access = ExtensionAccess(publishers, extensions)
        self._max, self._quotas, self._streams = max_package_bytes, quotas, streams

    async def __call__(self, actor: Actor, command: UploadVersion) -> UploadedVersion:
        if command.announced_bytes is not None and command.announced_bytes > self._max:
            raise self._too_large()
        view = await self._access.managed(actor, command.extension_id)
        await self._quotas.spend(actor, "versions", self._quotas.quotas.versions_per_hour, HOUR)  # per account
        parsed = Version.parse(command.version)
        if parsed.build:  # 1.2.0+a and 1.2.0+b could not be told apart by anyone installing them
            raise VersionInvalid(
                f"'{command.version}' carries build metadata ('+...'); upload without it.", field="version"
            )
        number = str(parsed)
        ensure_target_platform(command.target_platform)
        if await self._versions.find(view.extension.id, number, command.target_platform) is not None:
            raise _slot_taken(number, command.target_platform)
        version_id = uuid4()
        key = f"extensions/{view.extension.id}/{version_id}.zip"
        try:
            async with self._streams.slot():  # a bounded number of bodies read at once (upload_streams.py)
                blob = await self._storage.put_stream(
                    key, command.chunks, max_bytes=self._max, content_type=PACKAGE_CONTENT_TYPE
                )
        except BlobTooLarge as too_large:
            raise self._too_large() from too_large
        version = ExtensionVersion.upload(
            id=version_id,
            extension_id=view.extension.id,
            publisher_id=view.extension.publisher_id,
            version=number,
            target_platform=command.target_platform,
            archive_key=key,
            size=blob.size,
            sha256=blob.sha256,
            uploaded_by=actor.user_id,
            uploaded_at=self._clock.now(),
        )
        try:
            await self._versions.add(version)
        except VersionSlotTaken:
            await self._storage.delete(key)
            raise
        await record_events(self._outbox, version)
        await self._uow.commit()
        return UploadedVersion(
            version.id,
            version.extension_id,
            version.version,
            version.target_platform,
            version.state,
            blob.sha256,
            blob.size,
        )

    def _too_large(self) -> PackageTooLarge:
        return PackageTooLarge(f"The package is larger than the limit of {self._max:,} bytes.", field="body")


def _slot_taken(version: str, platform: str) -> VersionSlotTaken:
    message = f"Version {version} for {platform} was uploaded before; a version is never reused, even after deletion."
    return VersionSlotTaken(message, field="version")
