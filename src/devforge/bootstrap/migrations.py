"""Schema migrations for the configured database (the CLI's ``migrate``; embedded start-up)."""

from __future__ import annotations

from devforge.adapters.persistence.migrate import upgrade
from devforge.bootstrap.settings import Settings


def migrate(settings: Settings, revision: str = "head") -> None:
    upgrade(settings.resolved_database_url, revision)
