"""marketplace: ratings and reviews, who downloaded, paid extensions (owned by the ratings work)

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import devforge.adapters.persistence.types

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("marketplace_extensions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("license_product_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("rating_count", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("rating_average", sa.Float(), nullable=False, server_default="0"))
    op.create_table(
        "marketplace_downloaders",
        sa.Column("extension_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "first_downloaded_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["extension_id"],
            ["marketplace_extensions.id"],
            name=op.f("fk_marketplace_downloaders_extension_id_marketplace_extensions"),
        ),
        sa.PrimaryKeyConstraint("extension_id", "user_id", name=op.f("pk_marketplace_downloaders")),
    )
    op.create_table(
        "marketplace_ratings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("extension_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("stars", sa.SmallInteger(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("edited", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["extension_id"],
            ["marketplace_extensions.id"],
            name=op.f("fk_marketplace_ratings_extension_id_marketplace_extensions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_ratings")),
        sa.UniqueConstraint("extension_id", "user_id", name=op.f("uq_marketplace_ratings_extension_id_user_id")),
    )
    with op.batch_alter_table("marketplace_ratings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_marketplace_ratings_extension_id_created_at", ["extension_id", "created_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("marketplace_ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_marketplace_ratings_extension_id_created_at")
    op.drop_table("marketplace_ratings")
    op.drop_table("marketplace_downloaders")
    with op.batch_alter_table("marketplace_extensions", schema=None) as batch_op:
        batch_op.drop_column("rating_average")
        batch_op.drop_column("rating_count")
        batch_op.drop_column("license_product_id")
