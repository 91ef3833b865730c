"""identity: one_time_tokens (email-verification and password-reset links, digests only)

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import devforge.adapters.persistence.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "one_time_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("issued_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("superseded_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_one_time_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_time_tokens")),
        sa.UniqueConstraint("digest", name=op.f("uq_one_time_tokens_digest")),
    )
    with op.batch_alter_table("one_time_tokens", schema=None) as batch_op:
        batch_op.create_index("ix_one_time_tokens_user_id_purpose", ["user_id", "purpose"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("one_time_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_one_time_tokens_user_id_purpose")

    op.drop_table("one_time_tokens")
