"""licensing: entitlements, validation counters, expiry notices

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import devforge.adapters.persistence.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("licenses", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "expiring_notice_for", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "expired_notice_for", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True
            )
        )
    op.create_table(
        "license_usage",
        sa.Column("license_id", sa.Uuid(), nullable=False),
        sa.Column("validations", sa.Integer(), nullable=False),
        sa.Column("failed_validations", sa.Integer(), nullable=False),
        sa.Column("last_validated_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["license_id"], ["licenses.id"], name=op.f("fk_license_usage_license_id_licenses"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("license_id", name=op.f("pk_license_usage")),
    )
    op.create_table(
        "license_entitlements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["license_products.id"],
            name=op.f("fk_license_entitlements_product_id_license_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_license_entitlements")),
        sa.UniqueConstraint("product_id", "code", name=op.f("uq_license_entitlements_product_id_code")),
    )


def downgrade() -> None:
    op.drop_table("license_entitlements")
    op.drop_table("license_usage")
    with op.batch_alter_table("licenses", schema=None) as batch_op:
        batch_op.drop_column("expired_notice_for")
        batch_op.drop_column("expiring_notice_for")
