"""billing_tax_profiles: a publisher's W-9 / W-8BEN / W-8BEN-E, the TIN sealed

Revision ID: 0027
Revises: 0026
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from devforge.adapters.persistence.types import UTCDateTime

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "billing_tax_profiles",
        sa.Column("publisher_id", sa.Uuid(), primary_key=True),
        sa.Column("form", sa.String(10), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("entity_type", sa.String(20), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("tin_kind", sa.String(3), nullable=True),
        sa.Column("tin_last4", sa.String(4), nullable=True),
        sa.Column("tin_sealed", sa.Text(), nullable=True),
        sa.Column("treaty_article", sa.String(40), nullable=True),
        sa.Column("treaty_rate_bp", sa.Integer(), nullable=True),
        sa.Column("signer_name", sa.String(200), nullable=False),
        sa.Column("certified_at", UTCDateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("billing_tax_profiles")
