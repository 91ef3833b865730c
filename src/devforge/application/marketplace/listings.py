"""Keeping an extension's listing in step with its published versions."""

from __future__ import annotations

from datetime import datetime

from devforge.application.marketplace.search import ExtensionSearch
from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.listing import Listing
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.semver import Version
from devforge.domain.marketplace.version import ExtensionVersion


async def refresh_listing(
    search: ExtensionSearch,
    extension: Extension,
    publisher: Publisher,
    versions: list[ExtensionVersion],
    now: datetime,
) -> None:
    """Listed while it has a published version that is not yanked; the latest is the highest
    stable one (or the highest pre-release when there is no stable one). Downloads carry over;
    the rating and whether it is paid follow the extension."""
    published = [version for version in versions if version.published and not version.yanked]
    if extension.deleted or not published:
        await search.remove(extension.id)
        return
    stable = [version for version in published if not version.prerelease] or published
    latest = max(stable, key=lambda version: Version.parse(version.version))
    current = await search.get(extension.id)
    await search.upsert(
        Listing(
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
            downloads=current.downloads if current else 0,
            updated_at=now,
            rating_count=extension.rating_count,
            rating_average=extension.rating_average,
            paid=extension.paid,
        )
    )
