"""marketplace search: ranking in SQL (derived word columns, static score, keyset indexes)

Each listing gains the words a query may start (per field and all together), its case-folded
display name and the query-free part of its score, filled here for the rows already listed. On
PostgreSQL a GIN index over the words (a tsvector built verbatim, no parser, kept by the adapter)
serves text search, and the name key compares code points (collation "C"), as Python does. On SQLite the old FTS5
side table goes; the adapter builds its successor from the new column when it first needs it.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import math

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

VECTOR_OF_WORDS = "array_to_tsvector(string_to_array(all_words, ' '))"
NAME_KEY = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
WORDS_VECTOR = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("marketplace_listings", schema=None) as batch_op:
        for name in ("name_words", "tag_words", "text_words", "all_words"):
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("sort_name", NAME_KEY, nullable=False, server_default=""))
        batch_op.add_column(sa.Column("static_score", sa.Float(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("words_vector", WORDS_VECTOR, nullable=False, server_default=""))
        batch_op.create_index("ix_marketplace_listings_downloads", ["downloads", "extension_id"])
        batch_op.create_index("ix_marketplace_listings_updated_at", ["updated_at", "extension_id"])
        batch_op.create_index("ix_marketplace_listings_sort_name", ["sort_name", "extension_id"])
        batch_op.create_index("ix_marketplace_listings_words_vector", ["words_vector"], postgresql_using="gin")
    _fill_derived_columns()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"UPDATE marketplace_listings SET words_vector = {VECTOR_OF_WORDS}")  # noqa: S608 - a constant
    else:
        op.execute("DROP TABLE IF EXISTS marketplace_search_fts")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS marketplace_listing_words")
    with op.batch_alter_table("marketplace_listings", schema=None) as batch_op:
        batch_op.drop_index("ix_marketplace_listings_words_vector")
        batch_op.drop_index("ix_marketplace_listings_sort_name")
        batch_op.drop_index("ix_marketplace_listings_updated_at")
        batch_op.drop_index("ix_marketplace_listings_downloads")
        for name in ("words_vector", "static_score", "sort_name", "all_words", "text_words", "tag_words", "name_words"):
            batch_op.drop_column(name)


def _fill_derived_columns() -> None:
    """The rules of domain/marketplace/listing.py as they stood at this revision (a migration
    must not change meaning when the domain later does)."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT extension_id, namespace, name, display_name, description, tags, verified, deprecated, "
            "downloads, rating_count, rating_average FROM marketplace_listings"
        )
    ).mappings()
    update = sa.text(
        "UPDATE marketplace_listings SET name_words = :name_words, tag_words = :tag_words, "
        "text_words = :text_words, all_words = :all_words, sort_name = :sort_name, "
        "static_score = :static_score WHERE extension_id = :extension_id"
    )
    for row in list(rows):
        name_words = _words(f"{row['name']} {row['display_name']} {row['namespace']}")
        tag_words = _words(" ".join(part for part in row["tags"].split("|") if part))
        text_words = _words(row["description"])
        bind.execute(
            update,
            {
                "extension_id": row["extension_id"],
                "name_words": name_words,
                "tag_words": tag_words,
                "text_words": text_words,
                "all_words": " ".join(part for part in (name_words, tag_words, text_words) if part),
                "sort_name": row["display_name"].casefold(),
                "static_score": _static_score(row),
            },
        )


def _words(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def _static_score(row: sa.RowMapping) -> float:
    count, average = row["rating_count"], float(row["rating_average"])
    value = 0.1 * math.log1p(row["downloads"])
    value += 0.15 * ((10 * 3.0 + count * average) / (10 + count) - 3.0)
    value -= 0.0 if row["verified"] else 0.5
    value -= 2.0 if row["deprecated"] else 0.0
    return float(value)
