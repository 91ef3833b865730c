"""Downloads: a short-lived signed URL to a published version's archive, with its SHA-256 and
the registry's signature, and the newest version compatible with an editor.

Without a number, the version comes from a dist-tag (``tag``) or else the channel: ``stable``
never offers a pre-release, ``pre-release`` offers the newest version of all.

A download is counted once per (version, client, day), installs and updates apart; bots are
not counted. The client is the signed-in user, else the installation named by an install token
this server issued (``InstallTokens``; see ``issue_install_token.py``), else the caller's address:
a token the server did not sign (forged, altered, made up) is ignored, and the download counts for
the address. Each counted download is published: the download counts and the listing's total
follow it through their consumer, and analytics will read it. A signed-in downloader is
remembered (``Downloaders``, whether or not the ledger counted the download): that is who may
rate the extension. A paid extension (linked to a licensing product) is refused before anything
is counted or signed unless the signed-in caller holds an active, unexpired license of it.

Downloads are limited per caller address (``DownloadLimit``: at most ``per_minute`` in any
minute, signed in or not; 429 with ``Retry-After`` beyond), a limit of their own apart from the
route group's, on the per-address limiter that stays up (locally bounded) when the shared store
is away.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.file_storage import FileStorage
from devforge.application.common.outbox import Outbox
from devforge.application.common.rate_limiter import RouteRateLimiter
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.entitlements import EntitlementCheck
from devforge.application.marketplace.ports import CatalogEntry, CatalogReader, InstallTokens
from devforge.application.marketplace.publication import PUBLICATION
from devforge.application.marketplace.rating_ports import Downloaders
from devforge.domain.marketplace.dist_tags import Channel, resolve
from devforge.domain.marketplace.engine_range import EngineRange
from devforge.domain.marketplace.entitlement import ensure_entitled
from devforge.domain.marketplace.errors import DistTagNotFound, ExtensionInvalid, ExtensionNotFound, VersionNotFound
from devforge.domain.marketplace.semver import Version
from devforge.domain.marketplace.version import ExtensionDownloaded, ExtensionVersion
from devforge.domain.shared.errors import TooManyAttempts

DOWNLOAD_KINDS = ("install", "update")


class DownloadLedger(Protocol):
    """Transactional. ``record`` answers True the first time (version, client, day) is seen."""

    async def record(self, version_id: UUID, client: str, day: date, kind: str) -> bool: ...


@dataclass(frozen=True)
class DownloadRequest:
    extension_id: UUID
    client: str  # who downloads: a digest of the signed-in user, else of the address
    version: str | None = None
    target_platform: str = "universal"
    kind: str = "install"
    bot: bool = False
    channel: Channel = Channel.STABLE
    tag: str | None = None  # a dist-tag: latest, pre-release, or one the publisher set
    user_id: UUID | None = None  # the signed-in downloader: may rate it; needed for a paid extension
    address: str = ""  # a digest of the caller's address, signed in or not: the download limit's key
    install_token: str | None = None  # as the caller sent it; counts only when this server issued it


@dataclass(frozen=True)
class DownloadLimit:
    limiter: RouteRateLimiter
    per_minute: int = 60

    async def spend(self, address: str) -> None:
        """In-process callers (no address) are not limited: the HTTP route always names one."""
        if not address:
            return
        decision = await self.limiter.hit(f"marketplace-downloads:{address}", limit=self.per_minute, window_seconds=60)
        if not decision.allowed:
            raise TooManyAttempts(
                f"At most {self.per_minute} downloads a minute from one address; try again later.",
                retry_after_seconds=decision.retry_after_seconds,
            )


@dataclass(frozen=True)
class DownloadView:
    url: str
    expires_at: datetime
    version: ExtensionVersion
    filename: str


async def published_versions(
    catalog: CatalogReader, extension_id: UUID
) -> tuple[str, CatalogEntry, list[ExtensionVersion]]:
    """(namespace, catalogue entry, published versions) of a live extension; anything else is not found."""
    entry = await catalog.entry(extension_id)
    if entry is None or entry.extension.deleted:
        raise ExtensionNotFound("No extension with this id.")
    return entry.publisher.namespace, entry, [v for v in entry.versions if v.published]


def newest(
    candidates: list[ExtensionVersion], platform: str, *, prerelease: bool = False, yanked: bool = False
) -> ExtensionVersion | None:
    """The highest version for the platform (a build for it beats a universal one of the same
    version); yanked versions only when asked for by number."""
    fitting = [
        version
        for version in candidates
        if version.target_platform in (platform, "universal")
        and (prerelease or not version.prerelease)
        and (yanked or not version.yanked)
    ]
    if not fitting:
        return None
    return max(fitting, key=lambda v: (Version.parse(v.version).precedence_key(), v.target_platform == platform))


class DownloadExtension:
    def __init__(
        self,
        uow: UnitOfWork,
        catalog: CatalogReader,
        storage: FileStorage,
        ledger: DownloadLedger,
        outbox: Outbox,
        clock: Clock,
        link_lifetime: timedelta,
        *,
        downloaders: Downloaders,
        entitlements: EntitlementCheck,
        limit: DownloadLimit,
        installs: InstallTokens,
    ) -> None:
        self._downloaders, self._entitlements, self._limit = downloaders, entitlements, limit
        self._installs = installs
        self._uow, self._catalog = uow, catalog
        self._storage, self._ledger, self._outbox = storage, ledger, outbox
        self._clock, self._lifetime = clock, link_lifetime

    async def __call__(self, request: DownloadRequest) -> DownloadView:
        if request.kind not in DOWNLOAD_KINDS:
            raise ExtensionInvalid("Say 'install' or 'update'.", field="kind")
        await self._limit.spend(request.address)
        namespace, entry, published = await published_versions(self._catalog, request.extension_id)
        extension = entry.extension
        await self._ensure_entitled(extension.license_product_id, request.user_id)
        if request.version is not None and request.tag is not None:
            raise ExtensionInvalid("Name a version or a dist-tag, not both.", field="tag")
        if request.version is None and request.tag is None:
            chosen = newest(published, request.target_platform, prerelease=request.channel.allows_prereleases)
        else:
            number = request.version or self._tagged(entry, published, str(request.tag))
            wanted = [v for v in published if v.version == number]
            chosen = newest(wanted, request.target_platform, prerelease=True, yanked=request.tag is None)
        if chosen is None:
            raise VersionNotFound("No published version fits this request.", field="version")
        now = self._clock.now()
        client = self._client(request)
        if not request.bot and await self._ledger.record(chosen.id, client, now.date(), request.kind):
            event = ExtensionDownloaded(
                occurred_at=now,
                extension_id=chosen.extension_id,
                version_id=chosen.id,
                version=chosen.version,
                target_platform=chosen.target_platform,
                kind=request.kind,
                day=now.date().isoformat(),
            )
            await self._outbox.add([PUBLICATION.envelope(event)])
        if request.user_id is not None:  # even when the ledger counted this (version, client, day)
            await self._downloaders.record(chosen.extension_id, request.user_id, now)
        await self._uow.commit()
        filename = f"{namespace}.{extension.name}-{chosen.version}@{chosen.target_platform}.zip"
        url = await self._storage.signed_url(chosen.archive_key, expires_in=self._lifetime, filename=filename)
        return DownloadView(url, now + self._lifetime, chosen, filename)

    def _client(self, request: DownloadRequest) -> str:
        """The signed-in user, else an installation this server issued a token to, else the address."""
        if request.user_id is None and request.install_token:
            install = self._installs.install_of(request.install_token)
            if install is not None:
                return hashlib.sha256(f"install:{install}".encode()).hexdigest()[:32]
        return request.client

    async def _ensure_entitled(self, product: UUID | None, user_id: UUID | None) -> None:
        """Before anything is counted or signed: a paid extension downloads only for a holder."""
        holds = product is not None and user_id is not None and await self._entitlements.holds(user_id, product)
        ensure_entitled(product, user_id, holds)

    @staticmethod
    def _tagged(entry: CatalogEntry, published: list[ExtensionVersion], tag: str) -> str:
        number = resolve(published, entry.custom_tags).get(tag)
        if number is None:
            raise DistTagNotFound(f"This extension has no dist-tag '{tag}'.", field="tag")
        return number


class CompatibleVersion:
    """The newest published version whose engine range allows the editor version, for the platform."""

    def __init__(self, catalog: CatalogReader) -> None:
        self._catalog = catalog

    async def __call__(
        self, extension_id: UUID, editor_version: str, platform: str = "universal", prerelease: bool = False
    ) -> ExtensionVersion:
        editor = Version.parse(editor_version)
        _, _, published = await published_versions(self._catalog, extension_id)
        compatible = [v for v in published if v.engine_range and EngineRange.parse(v.engine_range).allows(editor)]
        chosen = newest(compatible, platform, prerelease=prerelease)
        if chosen is None:
            raise VersionNotFound(
                f"No published version works with editor {editor} on {platform}.", field="editorVersion"
            )
        return chosen
