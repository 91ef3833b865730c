"""licensing: products, policies, licenses (key digests and prefixes only) and their machines

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import devforge.adapters.persistence.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "license_products",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_license_products")),
        sa.UniqueConstraint("code", name=op.f("uq_license_products_code")),
    )
    with op.batch_alter_table("license_products", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_license_products_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "license_policies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["license_products.id"], name=op.f("fk_license_policies_product_id_license_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_license_policies")),
    )
    with op.batch_alter_table("license_policies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_license_policies_product_id"), ["product_id"], unique=False)

    op.create_table(
        "licenses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("policy_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("key_digest", sa.String(length=64), nullable=False),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("policy", sa.JSON(), nullable=False),
        sa.Column("max_machines", sa.Integer(), nullable=True),
        sa.Column("max_uses", sa.Integer(), nullable=True),
        sa.Column("deactivation_allowance", sa.Integer(), nullable=True),
        sa.Column("extra_entitlements", sa.JSON(), nullable=False),
        sa.Column("heartbeat_required", sa.Boolean(), nullable=False),
        sa.Column("created_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("last_check_in_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("self_service_deactivations", sa.JSON(), nullable=False),
        sa.Column("suspend_reason", sa.String(length=500), nullable=True),
        sa.Column("revoked_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoke_reason", sa.String(length=500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["license_policies.id"], name=op.f("fk_licenses_policy_id_license_policies")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["license_products.id"], name=op.f("fk_licenses_product_id_license_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_licenses")),
        sa.UniqueConstraint("key_digest", name=op.f("uq_licenses_key_digest")),
    )
    with op.batch_alter_table("licenses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_licenses_user_id"), ["user_id"], unique=False)

    op.create_table(
        "license_machines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("license_id", sa.Uuid(), nullable=False),
        sa.Column("fingerprint", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("activated_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_heartbeat_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["license_id"], ["licenses.id"], name=op.f("fk_license_machines_license_id_licenses"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_license_machines")),
    )
    with op.batch_alter_table("license_machines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_license_machines_license_id"), ["license_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("license_machines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_license_machines_license_id"))

    op.drop_table("license_machines")
    with op.batch_alter_table("licenses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_licenses_user_id"))

    op.drop_table("licenses")
    with op.batch_alter_table("license_policies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_license_policies_product_id"))

    op.drop_table("license_policies")
    with op.batch_alter_table("license_products", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_license_products_owner_id"))

    op.drop_table("license_products")
