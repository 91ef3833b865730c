"""marketplace signed manifests: each approved version's manifest of its identity and its signature

Versions approved before keep their digest signature alone (the manifest columns stay empty;
their downloads verify as before): a migration holds no signing key, and a manifest signed now
would state a signing time that is not the approval's.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("marketplace_versions") as batch:
        batch.add_column(sa.Column("manifest", sa.Text(), nullable=True))
        batch.add_column(sa.Column("manifest_signature", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("marketplace_versions") as batch:
        batch.drop_column("manifest_signature")
        batch.drop_column("manifest")
