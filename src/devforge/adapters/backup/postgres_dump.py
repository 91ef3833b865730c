"""PostgreSQL backups with its own tools: ``pg_dump --format=custom`` and ``pg_restore``.

pg_dump reads inside one repeatable-read transaction, so the dump is consistent while the
service runs. pg_restore runs in one transaction and stops at the first error: a restore lands
whole or not at all. Connection details go to the tools as libpq environment variables, so the
password never shows in a process listing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class PostgresToolFailed(Exception):
    """pg_dump or pg_restore is missing or failed; its own message is kept."""


class PgDumpTool:
    def __init__(self, database_url: str, bin_dir: Path | None = None) -> None:
        self._url, self._bin_dir = make_url(database_url), bin_dir

    def dump(self, target: Path) -> None:
        """The whole database into ``target`` (custom format: compressed, restorable selectively)."""
        self._run("pg_dump", "--format=custom", "--no-password", f"--file={target}")

    def restore(self, dump: Path, *, clean: bool = False) -> None:
        """Into this (empty) database; ``clean`` drops what the dump holds first. Objects end up
        owned by the connecting role, whoever owned them where the dump was taken."""
        options = ["--single-transaction", "--exit-on-error", "--no-owner", "--no-acl", "--no-password"]
        if clean:
            options += ["--clean", "--if-exists"]
        self._run("pg_restore", *options, f"--dbname={self._url.database}", str(dump))

    def _run(self, tool: str, *arguments: str) -> None:
        executable = self._find(tool)
        try:
            subprocess.run(  # noqa: S603 - a fixed tool with options built here, no shell
                [executable, *arguments], env=self._environment(), check=True, capture_output=True, text=True
            )
        except subprocess.CalledProcessError as error:
            raise PostgresToolFailed(f"{tool} failed: {error.stderr.strip() or error}") from None

    def _find(self, tool: str) -> str:
        found = str(self._bin_dir / tool) if self._bin_dir else shutil.which(tool)
        if not found or not os.access(found, os.X_OK):
            raise PostgresToolFailed(f"{tool} not found; install the PostgreSQL client tools or pass --pg-bin-dir")
        return found

    def _environment(self) -> dict[str, str]:
        url = self._url
        settings = {
            "PGHOST": url.host or "",
            "PGPORT": str(url.port or ""),
            "PGUSER": url.username or "",
            "PGPASSWORD": url.password or "",
            "PGDATABASE": url.database or "",
            "PGSSLMODE": str(url.query.get("sslmode") or url.query.get("ssl") or ""),
        }
        inherited = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        return inherited | {key: value for key, value in settings.items() if value}
