"""marketplace download counts: a read model per extension and day, recounted from the ledger

The counts start from the download ledger as it is. Listings keep their download totals until
their next change; ``devforge read-models rebuild`` restates them all at once.

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "marketplace_download_counts",
        sa.Column("extension_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("downloads", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["extension_id"],
            ["marketplace_extensions.id"],
            name=op.f("fk_marketplace_download_counts_extension_id_marketplace_extensions"),
        ),
        sa.PrimaryKeyConstraint("extension_id", "day", name=op.f("pk_marketplace_download_counts")),
    )
    op.create_index(
        op.f("ix_marketplace_downloads_day_version_id"), "marketplace_downloads", ["day", "version_id"], unique=False
    )
    op.execute(
        sa.text(
            "INSERT INTO marketplace_download_counts (extension_id, day, downloads)"
            " SELECT v.extension_id, d.day, COUNT(*) FROM marketplace_downloads d"
            " JOIN marketplace_versions v ON v.id = d.version_id GROUP BY v.extension_id, d.day"
        )
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_marketplace_downloads_day_version_id"), table_name="marketplace_downloads")
    op.drop_table("marketplace_download_counts")
