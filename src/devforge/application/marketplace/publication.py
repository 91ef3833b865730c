"""The marketplace's domain events as it publishes them (``published.py``), written by
``record_events``."""

from __future__ import annotations

from devforge.application.common.outbox import Outbox
from devforge.application.common.publication import Mirror, Publication
from devforge.application.marketplace import published
from devforge.domain.marketplace.extension import ExtensionDeleted
from devforge.domain.marketplace.publisher import PublisherVerified
from devforge.domain.marketplace.rating import RatingRemoved
from devforge.domain.marketplace.version import (
    ExtensionDownloaded,
    VersionReviewed,
    VersionUnpublished,
    VersionUploaded,
    VersionYanked,
)
from devforge.domain.shared.events import EventRecorder

PUBLICATION = Publication(
    {
        VersionUploaded: Mirror(published.VersionUploadedV1),
        VersionReviewed: Mirror(published.VersionReviewedV1),
        ExtensionDownloaded: Mirror(published.ExtensionDownloadedV1),
        VersionYanked: Mirror(published.VersionYankedV1),
        VersionUnpublished: Mirror(published.VersionUnpublishedV1),
        ExtensionDeleted: Mirror(published.ExtensionDeletedV1),
        PublisherVerified: Mirror(published.PublisherVerifiedV1),
        RatingRemoved: Mirror(published.RatingRemovedV1),
    }
)


async def record_events(outbox: Outbox, *aggregates: EventRecorder | None) -> None:
    """The aggregates' pending events into the outbox, in the transaction of their state."""
    await PUBLICATION.record(outbox, *aggregates)
