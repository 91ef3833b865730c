"""marketplace name claims: each confusable skeleton of a publisher's or extension's names, once

Existing names are claimed oldest first: the namespace and display name of every publisher, the
name and display name of every extension (deleted ones too). When two existing names already
share a skeleton, the older holder keeps it and the younger one's name stays as it is, unclaimed
(the log of the migration names them); a new look-alike of either is refused from now on.

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from alembic import op

from devforge.adapters.naming.unicode_confusables import UnicodeConfusables
from devforge.domain.marketplace.skeleton import skeleton

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def _holders(table: str, name: str) -> sa.Select[Any]:
    holders = sa.table(
        table,
        sa.column("id", sa.Uuid()),
        sa.column(name, sa.String()),
        sa.column("display_name", sa.String()),
        sa.column("created_at"),
    )
    return sa.select(holders.c.id, holders.c[name], holders.c.display_name).order_by(holders.c.created_at, holders.c.id)


_SOURCES = (
    ("publisher", _holders("marketplace_publishers", "namespace")),
    ("extension", _holders("marketplace_extensions", "name")),
)


def upgrade() -> None:
    claims = op.create_table(
        "marketplace_name_claims",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("skeleton", sa.Text(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("holder_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "skeleton", name=op.f("pk_marketplace_name_claims")),
    )
    op.create_index(
        op.f("ix_marketplace_name_claims_holder_id"), "marketplace_name_claims", ["holder_id"], unique=False
    )
    prototypes = UnicodeConfusables().prototypes()
    rows: list[dict[str, object]] = []
    held: dict[tuple[str, str], object] = {}
    for scope, query in _SOURCES:
        for holder_id, name_, display_name in op.get_bind().execute(query):
            for name in (name_, display_name):
                key = (scope, skeleton(name, prototypes))
                if key not in held:
                    held[key] = holder_id
                    rows.append({"scope": scope, "skeleton": key[1], "name": name, "holder_id": holder_id})
                elif held[key] != holder_id:
                    logging.getLogger(__name__).warning(
                        "%s name %r left unclaimed: it looks like an older one", scope, name
                    )
    if rows:
        op.bulk_insert(claims, rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_marketplace_name_claims_holder_id"), table_name="marketplace_name_claims")
    op.drop_table("marketplace_name_claims")
