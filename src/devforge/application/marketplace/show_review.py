"""A version's review: each check of the latest round and every transition. The publisher's
members see the publisher-facing messages; administrators also see each check's detail.

A plain read of committed data: the extension, its publisher and versions through the
``CatalogReader``, the checks through the ``CheckRecordReader``; no unit of work. Someone else's
extension answers exactly like a missing one; a deleted one only to administrators."""

from __future__ import annotations

from devforge.application.common.actor import Actor
from devforge.application.marketplace.membership import ensure_member
from devforge.application.marketplace.ports import CatalogEntry, CatalogReader, CheckRecordReader
from devforge.application.marketplace.reviewing import VersionSlot
from devforge.application.marketplace.views import ReviewView
from devforge.domain.marketplace.errors import ExtensionNotFound, VersionInvalid, VersionNotFound
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.marketplace.semver import Version
from devforge.domain.marketplace.version import ExtensionVersion


class ShowReview:
    def __init__(self, catalog: CatalogReader, records: CheckRecordReader) -> None:
        self._catalog, self._records = catalog, records

    async def __call__(self, actor: Actor, slot: VersionSlot) -> ReviewView:
        admin = actor.may(MarketplacePermission.EXTENSIONS_REVIEW)
        entry = await self._catalog.entry(slot.extension_id)
        if entry is None or (entry.extension.deleted and not admin):
            raise ExtensionNotFound("No extension with this id.")
        ensure_member(actor, entry.publisher, extension=True)
        version = _version_in(entry, slot)
        return ReviewView.of(version, await self._records.for_version(version.id), admin=admin)


def _version_in(entry: CatalogEntry, slot: VersionSlot) -> ExtensionVersion:
    """The slot's version, not deleted (as ``reviewing.version_in`` finds it)."""
    try:
        number = str(Version.parse(slot.version))
    except VersionInvalid:
        raise VersionNotFound("No such version.", field="version") from None
    for version in entry.versions:
        same_slot = (version.version, version.target_platform) == (number, slot.target_platform)
        if same_slot and version.deleted_at is None:
            return version
    raise VersionNotFound("No such version of this extension.", field="version")
