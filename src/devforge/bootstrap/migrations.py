"""Schema migrations for the configured database (the CLI's ``migrate``; embedded start-up).

Upgrading is the normal way; a downgrade deletes the tables and columns the newer revisions
added, with their data, so it only runs when asked for explicitly, and a refusal names what it
would drop. A revision that does not exist is an error, never "nothing to do".
"""

from __future__ import annotations

from dataclasses import dataclass

from devforge.adapters.persistence.migrate import (
    UnknownRevision,
    current_revision,
    downgrade,
    resolve,
    revisions,
    upgrade,
)
from devforge.adapters.persistence.migration_drops import RevisionDrops, downgrade_drops
from devforge.bootstrap.settings import Settings

__all__ = ["DatabaseAhead", "DowngradeRefused", "MigrationResult", "UnknownRevision", "migrate", "revisions"]


class DowngradeRefused(Exception):
    """``target`` is older than the database: stepping down drops ``drops``."""

    def __init__(self, current: str, target: str | None, drops: list[RevisionDrops]) -> None:
        super().__init__(f"downgrading from {current} to {target or 'base'} deletes data")
        self.current, self.target, self.drops = current, target, drops


class DatabaseAhead(Exception):
    """The database was migrated by a newer release: this one does not know its revision."""

    def __init__(self, current: str) -> None:
        super().__init__(f"the database is at revision {current}, which this release does not know")
        self.current = current


@dataclass(frozen=True)
class MigrationResult:
    before: str | None
    after: str | None
    direction: str  # "upgrade", "downgrade" or "none"
    dropped: tuple[RevisionDrops, ...] = ()


def migrate(settings: Settings, revision: str = "head", *, allow_downgrade: bool = False) -> MigrationResult:
    """Blocking (Alembic runs its own event loop): call from a thread when a loop is running."""
    url = settings.database.database_url
    target = resolve(revision)
    current = current_revision(url)
    known = revisions()
    if current is not None and current not in known:
        raise DatabaseAhead(current)
    position = {rev: index for index, rev in enumerate(known)}
    here = position[current] if current is not None else -1
    there = position[target] if target is not None else -1
    if there > here:
        upgrade(url, target or "base")
        return MigrationResult(current, target, "upgrade")
    if there == here:
        return MigrationResult(current, current, "none")
    assert current is not None  # there < here, so the database is at some revision
    drops = downgrade_drops(current, target)
    if not allow_downgrade:
        raise DowngradeRefused(current, target, drops)
    downgrade(url, target or "base")
    return MigrationResult(current, target, "downgrade", tuple(drops))
