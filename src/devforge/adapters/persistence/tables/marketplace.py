"""Marketplace tables. Nothing is ever deleted: a deleted extension or version keeps its row
(``deleted_at``), which is what keeps names and (extension, version, platform) slots taken for
good. No foreign key to ``users``: contexts refer to each other by ids only."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

# PostgreSQL orders names by code point, as Python does, whatever the database's collation; its
# words become a tsvector (empty text elsewhere, where FTS5 or a scan does the job).
NAME_KEY = Text().with_variant(Text(collation="C"), "postgresql")
WORDS_VECTOR = Text().with_variant(TSVECTOR(), "postgresql")

marketplace_publishers = Table(
    "marketplace_publishers",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("namespace", String(64), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("owner_id", Uuid, nullable=False, index=True),
    Column("contact_email", String(320), nullable=False),
    Column("domain", String(253), nullable=True),
    Column("verification_token", String(64), nullable=True),
    Column("verified_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

marketplace_publisher_members = Table(
    "marketplace_members",
    metadata,
    Column("publisher_id", Uuid, ForeignKey("marketplace_publishers.id"), primary_key=True),
    Column("user_id", Uuid, primary_key=True, index=True),
)

# Each confusable skeleton of a publisher's or an extension's names belongs to one holder per
# scope, for good: the primary key is what refuses the second of two look-alike names, even when
# both arrive at the same moment. ``name`` is the holder's name as written (what a refused
# claimant is told); ``holder_id`` is the publisher's or the extension's id.
marketplace_name_claims = Table(
    "marketplace_name_claims",
    metadata,
    Column("scope", String(16), primary_key=True),
    Column("skeleton", Text, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("holder_id", Uuid, nullable=False, index=True),
)

marketplace_extensions = Table(
    "marketplace_extensions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("publisher_id", Uuid, ForeignKey("marketplace_publishers.id"), nullable=False, index=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("description", Text, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("categories", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("deleted_at", UTCDateTime, nullable=True),
    Column("deprecation", String(500), nullable=True),
    Column("replacement", String(129), nullable=True),
    Column("license_product_id", Uuid, nullable=True),  # licensing's product: paid while set
    # The rating summary, a read model restated from marketplace_ratings (never by saving the row).
    Column("rating_count", Integer, nullable=False, server_default="0"),
    Column("rating_average", Float, nullable=False, server_default="0"),
)

marketplace_versions = Table(
    "marketplace_versions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("extension_id", Uuid, ForeignKey("marketplace_extensions.id"), nullable=False, index=True),
    Column("publisher_id", Uuid, nullable=False),
    Column("version", String(256), nullable=False),
    Column("target_platform", String(32), nullable=False),
    Column("archive_key", String(300), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_by", Uuid, nullable=False),
    Column("uploaded_at", UTCDateTime, nullable=False),
    Column("state", String(20), nullable=False),
    Column("review_round", Integer, nullable=False),
    Column("history", JSON, nullable=False),
    Column("signature", String(200), nullable=True),
    Column("signing_key_id", String(100), nullable=True),
    Column("manifest", Text, nullable=True),
    Column("manifest_signature", String(200), nullable=True),
    Column("engine_range", String(256), nullable=True),
    Column("deleted_at", UTCDateTime, nullable=True),
    Column("yanked_at", UTCDateTime, nullable=True),
    Column("yank_reason", String(500), nullable=True),
    Column("pre_release", Boolean, nullable=False, server_default=false()),
    Column("published_at", UTCDateTime, nullable=True),
    UniqueConstraint("extension_id", "version", "target_platform"),
)
# The reviewers' queue (marketplace_review_queue_reads.py): the versions waiting for a reviewer,
# oldest first, without scanning every version. The reader writes 'passed' as a literal so that
# SQLite (which matches a partial index's WHERE only against literals) uses it too.
Index(
    "ix_marketplace_versions_waiting",
    marketplace_versions.c.uploaded_at,
    marketplace_versions.c.id,
    postgresql_where=text("state = 'passed' AND deleted_at IS NULL"),
    sqlite_where=text("state = 'passed' AND deleted_at IS NULL"),
)

marketplace_check_records = Table(
    "marketplace_check_records",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("version_id", Uuid, ForeignKey("marketplace_versions.id"), nullable=False, index=True),
    Column("review_round", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("check_name", String(64), nullable=False),
    Column("outcome", String(10), nullable=False),
    Column("enforced", Boolean, nullable=False),
    Column("required", Boolean, nullable=False),
    Column("publisher_message", Text, nullable=False),
    Column("admin_detail", Text, nullable=False),
    Column("findings", JSON, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
)

marketplace_listings = Table(
    "marketplace_listings",
    metadata,
    Column("extension_id", Uuid, ForeignKey("marketplace_extensions.id"), primary_key=True),
    Column("namespace", String(64), nullable=False, index=True),
    Column("name", String(64), nullable=False),
    Column("display_name", String(100), nullable=False),
    Column("description", Text, nullable=False),
    Column("tags", Text, nullable=False),  # "|a|b|": filterable with LIKE on every database
    Column("categories", Text, nullable=False),
    Column("platforms", Text, nullable=False),
    Column("latest_version", String(256), nullable=False),
    Column("verified", Boolean, nullable=False),
    Column("deprecated", Boolean, nullable=False),
    Column("downloads", BigInteger, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("search_text", Text, nullable=False),
    Column("rating_count", Integer, nullable=False, server_default="0"),
    Column("rating_average", Float, nullable=False, server_default="0"),
    Column("paid", Boolean, nullable=False, server_default=false()),
    # Derived from the listing for ranking in SQL (see listing.py): the words a query may start,
    # per field and all together, the case-folded name, and the score's query-free part.
    Column("name_words", Text, nullable=False, server_default=""),
    Column("tag_words", Text, nullable=False, server_default=""),
    Column("text_words", Text, nullable=False, server_default=""),
    Column("all_words", Text, nullable=False, server_default=""),
    Column("sort_name", NAME_KEY, nullable=False, server_default=""),
    Column("static_score", Float, nullable=False, server_default="0"),
    Column("words_vector", WORDS_VECTOR, nullable=False, server_default=""),  # PostgreSQL's text index
    Index("ix_marketplace_listings_downloads", "downloads", "extension_id"),
    Index("ix_marketplace_listings_updated_at", "updated_at", "extension_id"),
    Index("ix_marketplace_listings_sort_name", "sort_name", "extension_id"),
    Index("ix_marketplace_listings_words_vector", "words_vector", postgresql_using="gin"),
)

marketplace_downloads = Table(
    "marketplace_downloads",
    metadata,
    Column("version_id", Uuid, ForeignKey("marketplace_versions.id"), primary_key=True),
    Column("client", String(128), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("kind", String(10), nullable=False),
    Index("ix_marketplace_downloads_day_version_id", "day", "version_id"),  # one day's recount
)

# A read model: counted downloads per extension and day, recounted from marketplace_downloads.
marketplace_download_counts = Table(
    "marketplace_download_counts",
    metadata,
    Column("extension_id", Uuid, ForeignKey("marketplace_extensions.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("downloads", BigInteger, nullable=False),
)
