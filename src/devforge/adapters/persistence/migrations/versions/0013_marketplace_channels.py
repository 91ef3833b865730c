"""marketplace versions: channels, dist-tags and dependencies (owned by the versions work)

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import devforge.adapters.persistence.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("marketplace_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pre_release", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(
            sa.Column("published_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "marketplace_dist_tags",
        sa.Column("extension_id", sa.Uuid(), nullable=False),
        sa.Column("tag", sa.String(length=32), nullable=False),
        sa.Column("version", sa.String(length=256), nullable=False),
        sa.ForeignKeyConstraint(
            ["extension_id"],
            ["marketplace_extensions.id"],
            name=op.f("fk_marketplace_dist_tags_extension_id_marketplace_extensions"),
        ),
        sa.PrimaryKeyConstraint("extension_id", "tag", name=op.f("pk_marketplace_dist_tags")),
    )
    op.create_table(
        "marketplace_version_dependencies",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("dependency", sa.String(length=129), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["marketplace_versions.id"],
            name=op.f("fk_marketplace_version_dependencies_version_id_marketplace_versions"),
        ),
        sa.PrimaryKeyConstraint("version_id", "dependency", name=op.f("pk_marketplace_version_dependencies")),
    )
    with op.batch_alter_table("marketplace_version_dependencies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_version_dependencies_dependency"), ["dependency"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("marketplace_version_dependencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_version_dependencies_dependency"))
    op.drop_table("marketplace_version_dependencies")
    op.drop_table("marketplace_dist_tags")
    with op.batch_alter_table("marketplace_versions", schema=None) as batch_op:
        batch_op.drop_column("published_at")
        batch_op.drop_column("pre_release")
