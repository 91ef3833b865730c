"""What an extension's listing is, given its source rows (``read_models.py`` keeps it)."""

from __future__ import annotations

from datetime import datetime

from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.listing import Listing
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.semver import Version
from devforge.domain.marketplace.version import ExtensionVersion


def listing_of(
    extension: Extension, publisher: Publisher, versions: list[ExtensionVersion], downloads: int
) -> Listing | None:
    """Listed while it has a published version that is not yanked; the latest is the highest
    stable one (or the highest pre-release when there is no stable one). The rating and whether
    it is paid follow the extension; it was last updated at its latest change (``last_change``).
    None: not listed."""
    published = [version for version in versions if version.published and not version.yanked]
    if extension.deleted or not published:
        return None
    stable = [version for version in published if not version.prerelease] or published
    latest = max(stable, key=lambda version: Version.parse(version.version))
    return Listing(
        extension_id=extension.id,
        namespace=publisher.namespace,
        name=extension.name,
        display_name=extension.display_name,
        description=extension.description,
        tags=extension.tags,
        categories=extension.categories,
        platforms=tuple(sorted({version.target_platform for version in published})),
        latest_version=latest.version,
        verified=publisher.verified,
        deprecated=extension.deprecated,
        downloads=downloads,
        updated_at=last_change(extension, versions),
        rating_count=extension.rating_count,
        rating_average=extension.rating_average,
        paid=extension.paid,
    )


def last_change(extension: Extension, versions: list[ExtensionVersion]) -> datetime:
    """The latest of the extension's own edits (text, product, deprecation) and its versions'
    publications, yanks and unpublishings: read from the rows, so restating a listing again
    later gives the same time."""
    moments = [extension.updated_at]
    for version in versions:
        moments += [moment for moment in (version.published_at, version.yanked_at, version.deleted_at) if moment]
    return max(moments)
