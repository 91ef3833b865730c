"""``devforge migrate [REVISION] [--allow-downgrade]``: move the schema to a revision.

An upgrade just runs. A downgrade deletes the tables and columns of the revisions it steps
over, so without ``--allow-downgrade`` it is refused with the list of what it would drop, and
nothing changes. An unknown revision exits 2; a refusal exits 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import structlog

from devforge.bootstrap.settings import Settings

log = structlog.get_logger("devforge.cli")


def add_migrate_commands(commands: Any) -> None:
    migrate = commands.add_parser("migrate", help="move the database schema to a revision (default: head)")
    migrate.add_argument("revision", nargs="?", default="head", help="head, base or a revision id such as 0014")
    migrate.add_argument(
        "--allow-downgrade",
        action="store_true",
        help="step down to an older revision, deleting the tables and columns the newer ones added",
    )
    migrate.set_defaults(run=run_migrate)


def run_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from devforge.bootstrap.migrations import DatabaseAhead, DowngradeRefused, UnknownRevision, migrate, revisions

    revision: str = getattr(args, "revision", "head")
    allowed: bool = getattr(args, "allow_downgrade", False)
    log.info("migrating", database=redacted(settings.database.database_url), to=revision)
    try:
        result = migrate(settings, revision, allow_downgrade=allowed)
    except UnknownRevision as error:
        known = revisions()
        print(f"devforge: {error}; it knows {known[0]} to {known[-1]}, head and base", file=sys.stderr)
        return 2
    except DatabaseAhead as error:
        print(f"devforge: {error} (a newer release migrated it); run that release instead", file=sys.stderr)
        return 1
    except DowngradeRefused as refused:
        target = refused.target or "base"
        lines = [f"devforge: refusing to downgrade the schema from {refused.current} to {target}: it would drop"]
        lines += [f"  {drop.describe()}" for drop in refused.drops]
        lines.append(f"Back up first (devforge backup), then run: devforge migrate {target} --allow-downgrade")
        print("\n".join(lines), file=sys.stderr)
        return 1
    for drop in result.dropped:
        log.warning("downgrade_dropped", revision=drop.revision, tables=drop.tables, columns=drop.columns)
    log.info("migrated", direction=result.direction, before=result.before, after=result.after)
    return 0


def redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
