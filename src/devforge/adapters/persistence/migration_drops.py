"""What a schema downgrade deletes, read from the migrations themselves.

Each revision's ``downgrade()`` between the two points is rendered as SQL (Alembic's offline
mode, PostgreSQL dialect: it needs no database and no table reflection) and the statements that
destroy data are picked out: ``DROP TABLE`` and ``ALTER TABLE ... DROP COLUMN``. Nothing runs.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from alembic.migration import MigrationContext
from alembic.operations import Operations

from devforge.adapters.persistence.migrate import scripts

_DROP_TABLE = re.compile(r"DROP TABLE (?:IF EXISTS )?\"?(\w+)\"?", re.IGNORECASE)
_DROP_COLUMN = re.compile(r"ALTER TABLE \"?(\w+)\"? DROP COLUMN \"?(\w+)\"?", re.IGNORECASE)


@dataclass(frozen=True)
class RevisionDrops:
    """What stepping down from ``revision`` deletes."""

    revision: str
    tables: tuple[str, ...]
    columns: tuple[str, ...]  # "table.column"

    def describe(self) -> str:
        parts = []
        if self.tables:
            parts.append("tables " + ", ".join(self.tables))
        if self.columns:
            parts.append("columns " + ", ".join(self.columns))
        return f"{self.revision}: " + ("; ".join(parts) if parts else "drops no table or column")


def downgrade_drops(current: str, target: str | None) -> list[RevisionDrops]:
    """From ``current`` down to ``target`` (exclusive; None is the empty schema), newest first."""
    steps = list(scripts().iterate_revisions(current, target or "base"))
    found = []
    for script in steps:
        if script.revision == target:
            continue
        sql = io.StringIO()
        context = MigrationContext.configure(dialect_name="postgresql", opts={"as_sql": True, "output_buffer": sql})
        with Operations.context(context):
            script.module.downgrade()
        text = sql.getvalue()
        tables = tuple(dict.fromkeys(_DROP_TABLE.findall(text)))
        columns = tuple(dict.fromkeys(f"{table}.{column}" for table, column in _DROP_COLUMN.findall(text)))
        found.append(RevisionDrops(script.revision, tables, columns))
    return found
