"""identity: two_factor, two_factor_recovery_codes and auth_audit

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import devforge.adapters.persistence.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "two_factor",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("sealed_secret", sa.String(length=255), nullable=False),
        sa.Column("enrolled_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_used_step", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_two_factor_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_two_factor")),
    )
    op.create_table(
        "two_factor_recovery_codes",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("used_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["two_factor.user_id"],
            name=op.f("fk_two_factor_recovery_codes_user_id_two_factor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_two_factor_recovery_codes")),
    )
    with op.batch_alter_table("two_factor_recovery_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_two_factor_recovery_codes_user_id"), ["user_id"], unique=False)

    op.create_table(
        "auth_audit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("email_digest", sa.String(length=64), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_audit")),
    )
    with op.batch_alter_table("auth_audit", schema=None) as batch_op:
        batch_op.create_index("ix_auth_audit_at", ["at"], unique=False)
        batch_op.create_index("ix_auth_audit_user_id_at", ["user_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("auth_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_auth_audit_user_id_at")
        batch_op.drop_index("ix_auth_audit_at")
    op.drop_table("auth_audit")
    with op.batch_alter_table("two_factor_recovery_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_two_factor_recovery_codes_user_id"))
    op.drop_table("two_factor_recovery_codes")
    op.drop_table("two_factor")
