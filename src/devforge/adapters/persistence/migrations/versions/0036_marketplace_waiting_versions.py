"""the reviewers' queue reads the waiting versions by a partial index, not a scan of every version

Revision ID: 0036
Revises: 0035
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None

_WAITING = "state = 'passed' AND deleted_at IS NULL"


def upgrade() -> None:
    op.create_index(
        "ix_marketplace_versions_waiting",
        "marketplace_versions",
        ["uploaded_at", "id"],
        postgresql_where=sa.text(_WAITING),
        sqlite_where=sa.text(_WAITING),
    )


def downgrade() -> None:
    op.drop_index("ix_marketplace_versions_waiting", "marketplace_versions")
