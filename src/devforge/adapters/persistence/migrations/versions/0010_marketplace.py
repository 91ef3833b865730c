"""marketplace: publishers, extensions, versions, review results

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import devforge.adapters.persistence.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _at(name: str, *, nullable: bool) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "marketplace_publishers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("namespace", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("contact_email", sa.String(length=320), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=True),
        sa.Column("verification_token", sa.String(length=64), nullable=True),
        _at("verified_at", nullable=True),
        _at("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_publishers")),
        sa.UniqueConstraint("namespace", name=op.f("uq_marketplace_publishers_namespace")),
    )
    with op.batch_alter_table("marketplace_publishers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_marketplace_publishers_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "marketplace_members",
        sa.Column("publisher_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["marketplace_publishers.id"],
            name=op.f("fk_marketplace_members_publisher_id_marketplace_publishers"),
        ),
        sa.PrimaryKeyConstraint("publisher_id", "user_id", name=op.f("pk_marketplace_members")),
    )
    with op.batch_alter_table("marketplace_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_marketplace_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "marketplace_extensions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("publisher_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        _at("created_at", nullable=False),
        _at("updated_at", nullable=False),
        _at("deleted_at", nullable=True),
        sa.Column("deprecation", sa.String(length=500), nullable=True),
        sa.Column("replacement", sa.String(length=129), nullable=True),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["marketplace_publishers.id"],
            name=op.f("fk_marketplace_extensions_publisher_id_marketplace_publishers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_extensions")),
        sa.UniqueConstraint("name", name=op.f("uq_marketplace_extensions_name")),
    )
    with op.batch_alter_table("marketplace_extensions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_marketplace_extensions_publisher_id"), ["publisher_id"], unique=False)

    op.create_table(
        "marketplace_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("extension_id", sa.Uuid(), nullable=False),
        sa.Column("publisher_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.String(length=256), nullable=False),
        sa.Column("target_platform", sa.String(length=32), nullable=False),
        sa.Column("archive_key", sa.String(length=300), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=False),
        _at("uploaded_at", nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("review_round", sa.Integer(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("signature", sa.String(length=200), nullable=True),
        sa.Column("signing_key_id", sa.String(length=100), nullable=True),
        sa.Column("engine_range", sa.String(length=256), nullable=True),
        _at("deleted_at", nullable=True),
        _at("yanked_at", nullable=True),
        sa.Column("yank_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["extension_id"],
            ["marketplace_extensions.id"],
            name=op.f("fk_marketplace_versions_extension_id_marketplace_extensions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_versions")),
        sa.UniqueConstraint(
            "extension_id",
            "version",
            "target_platform",
            name=op.f("uq_marketplace_versions_extension_id_version_target_platform"),
        ),
    )
    with op.batch_alter_table("marketplace_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_marketplace_versions_extension_id"), ["extension_id"], unique=False)

    op.create_table(
        "marketplace_check_records",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("review_round", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("check_name", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("enforced", sa.Boolean(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("publisher_message", sa.Text(), nullable=False),
        sa.Column("admin_detail", sa.Text(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        _at("recorded_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["marketplace_versions.id"],
            name=op.f("fk_marketplace_check_records_version_id_marketplace_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_check_records")),
    )
    with op.batch_alter_table("marketplace_check_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_marketplace_check_records_version_id"), ["version_id"], unique=False)

    op.create_table(
        "marketplace_listings",
        sa.Column("extension_id", sa.Uuid(), nullable=False),
        sa.Column("namespace", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("categories", sa.Text(), nullable=False),
        sa.Column("platforms", sa.Text(), nullable=False),
        sa.Column("latest_version", sa.String(length=256), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("deprecated", sa.Boolean(), nullable=False),
        sa.Column("downloads", sa.BigInteger(), nullable=False),
        _at("updated_at", nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["extension_id"],
            ["marketplace_extensions.id"],
            name=op.f("fk_marketplace_listings_extension_id_marketplace_extensions"),
        ),
        sa.PrimaryKeyConstraint("extension_id", name=op.f("pk_marketplace_listings")),
    )
    with op.batch_alter_table("marketplace_listings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_marketplace_listings_namespace"), ["namespace"], unique=False)

    op.create_table(
        "marketplace_downloads",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("client", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["marketplace_versions.id"],
            name=op.f("fk_marketplace_downloads_version_id_marketplace_versions"),
        ),
        sa.PrimaryKeyConstraint("version_id", "client", "day", name=op.f("pk_marketplace_downloads")),
    )


def downgrade() -> None:
    op.drop_table("marketplace_downloads")
    with op.batch_alter_table("marketplace_listings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_listings_namespace"))
    op.drop_table("marketplace_listings")
    for table, index in (
        ("marketplace_check_records", "version_id"),
        ("marketplace_versions", "extension_id"),
        ("marketplace_extensions", "publisher_id"),
        ("marketplace_members", "user_id"),
        ("marketplace_publishers", "owner_id"),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{index}"))
        op.drop_table(table)
