"""mail outbox: queued mails, sealed until sent, so a mail commits with what it refers to

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import devforge.adapters.persistence.types

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_outbox",
        sa.Column("mail_id", sa.Uuid(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=True),
        sa.Column("queued_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("mail_id", name=op.f("pk_mail_outbox")),
    )


def downgrade() -> None:
    op.drop_table("mail_outbox")
