"""Schema migrations (Alembic), callable from the CLI, the embedded start-up and tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from devforge.adapters.persistence.engine import make_engine

MIGRATIONS = Path(__file__).parent / "migrations"
T = TypeVar("T")


class UnknownRevision(LookupError):
    """A revision this release's migrations do not contain (a typo, or a newer release's)."""

    def __init__(self, revision: str) -> None:
        super().__init__(f"revision {revision!r} is not one of this release's migrations")
        self.revision = revision


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(""))


def upgrade(database_url: str, revision: str = "head") -> None:
    """Blocking: call from a thread when an event loop is running."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def revisions(database_url: str = "") -> list[str]:
    """Revision ids from the first to head."""
    return [rev.revision for rev in reversed(list(scripts().walk_revisions()))]


def resolve(revision: str) -> str | None:
    """The revision id ``revision`` names (``head``, ``base`` -> None, or an id); raises
    ``UnknownRevision`` for anything else, so a typo never runs as "nothing to do"."""
    try:
        script = scripts().get_revision(revision)
    except CommandError:
        raise UnknownRevision(revision) from None
    return script.revision if script is not None else None


def current_revision(database_url: str) -> str | None:
    """The revision the database is at (None when nothing was migrated). Blocking, like ``upgrade``."""
    return asyncio.run(_on_connection(database_url, lambda c: MigrationContext.configure(c).get_current_revision()))


def table_names(database_url: str) -> set[str]:
    """Every table in the database's default schema, Alembic's own included."""
    return asyncio.run(_on_connection(database_url, lambda c: set(inspect(c).get_table_names())))


async def _on_connection(database_url: str, work: Callable[[Connection], T]) -> T:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(work)
    finally:
        await engine.dispose()
