"""The marketplace's HTTP controllers (``http_routes`` of ``bootstrap/contexts/marketplace.py``)."""

from __future__ import annotations

from devforge.entrypoints.http.marketplace.catalog_controller import ExtensionCatalogController
from devforge.entrypoints.http.marketplace.extensions_controller import ExtensionsController
from devforge.entrypoints.http.marketplace.installs_controller import InstallsController
from devforge.entrypoints.http.marketplace.members_controller import PublisherMembersController
from devforge.entrypoints.http.marketplace.publishers_controller import PublishersController
from devforge.entrypoints.http.marketplace.ratings_controller import ExtensionRatingsController
from devforge.entrypoints.http.marketplace.review_controller import ExtensionReviewController
from devforge.entrypoints.http.marketplace.review_queue_controller import ReviewQueueController
from devforge.entrypoints.http.marketplace_keys_controller import MarketplaceSigningKeysController

CONTROLLERS = (
    PublishersController,
    PublisherMembersController,
    ExtensionsController,
    ExtensionCatalogController,
    InstallsController,
    ExtensionReviewController,
    ReviewQueueController,
    ExtensionRatingsController,
    MarketplaceSigningKeysController,
)
