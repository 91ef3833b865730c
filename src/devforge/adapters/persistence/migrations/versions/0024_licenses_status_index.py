"""licenses by status: the signed revocation list reads revoked and suspended licenses by index

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_licenses_status_id", "licenses", ["status", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_licenses_status_id", table_name="licenses")
