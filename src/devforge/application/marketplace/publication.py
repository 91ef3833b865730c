"""The marketplace's domain events as it publishes them (``published.py``), written by
``record_events``."""

from __future__ import annotations

from devforge.application.common.publication import Mirror, Publication
from devforge.application.marketplace import published
from devforge.domain.marketplace.extension import ExtensionDeleted, ExtensionDeprecated, ExtensionUpdated
from devforge.domain.marketplace.publisher import PublisherVerified
from devforge.domain.marketplace.rating import RatingRemoved, RatingWithdrawn, RatingWritten
from devforge.domain.marketplace.version import (
    ExtensionDownloaded,
    ReviewChecksCrashed,
    VersionDecided,
    VersionReviewed,
    VersionUnpublished,
    VersionUploaded,
    VersionYanked,
)

PUBLICATION = Publication(
    {
        VersionUploaded: Mirror(published.VersionUploadedV1),
        VersionReviewed: Mirror(published.VersionReviewedV1),
        VersionDecided: Mirror(published.VersionDecidedV1),
        ReviewChecksCrashed: Mirror(published.ReviewChecksCrashedV1),
        ExtensionDownloaded: Mirror(published.ExtensionDownloadedV2),
        VersionYanked: Mirror(published.VersionYankedV1),
        VersionUnpublished: Mirror(published.VersionUnpublishedV1),
        ExtensionDeleted: Mirror(published.ExtensionDeletedV1),
        ExtensionUpdated: Mirror(published.ExtensionUpdatedV1),
        ExtensionDeprecated: Mirror(published.ExtensionDeprecatedV1),
        PublisherVerified: Mirror(published.PublisherVerifiedV1),
        RatingWritten: Mirror(published.RatingWrittenV1),
        RatingWithdrawn: Mirror(published.RatingWithdrawnV1),
        RatingRemoved: Mirror(published.RatingRemovedV1),
    }
)

# What the use cases call: their aggregates' pending events into the outbox, in their transaction.
record_events = PUBLICATION.record
