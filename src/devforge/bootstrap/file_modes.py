"""What the service writes to disk is for its own user only: the SQLite database (and its
``-wal`` and ``-shm``), the generated secret key, the signing key rings, the Maildir and stored
files hold credentials' digests, private keys and users' data."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.licensing import LicensingSettings
from devforge.bootstrap.settings.marketplace import MarketplaceSettings

PRIVATE_UMASK = 0o077
"""New files 0600 and folders 0700, whichever library creates them (SQLite, the Maildir)."""


def keep_files_private(settings: Settings) -> None:
    """Sets the process umask, and closes to others what an older release left open in the data
    folder (the folder itself, the key rings, the mail and file folders: 0700; the database files
    and the secret key: 0600). Called by every shell before it opens anything."""
    os.umask(PRIVATE_UMASK)
    data = settings.data_path
    folders = [
        data,
        data / "mail",
        data / "files",
        settings.section(LicensingSettings).license_keys_path,
        settings.section(MarketplaceSettings).registry_keys_path,
    ]
    for folder in folders:
        _restrict(folder, 0o700)
    _restrict(data / "secret_key", 0o600)
    url = make_url(settings.database.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        for suffix in ("", "-wal", "-shm", "-journal"):
            _restrict(Path(url.database + suffix), 0o600)


def _restrict(path: Path, mode: int) -> None:
    try:
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(mode)
    except PermissionError:  # not ours to change: the operator's own layout
        pass
