"""What a backup of this installation holds, and where each part lives on this host.

The parts: the database (a SQLite snapshot in embedded, a ``pg_dump`` in production), the
generated ``secret_key`` file (embedded, when the key is not set in the environment), the two
signing key rings (``DEVFORGE_LICENSE_KEYS_DIR``, ``DEVFORGE_REGISTRY_KEYS_DIR``, by default
under the data directory), file storage when it is the local disk (``<data dir>/files``) and,
if asked, the embedded Maildir. Everything else is configuration or can be rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.licensing import LicensingSettings
from devforge.bootstrap.settings.marketplace import MarketplaceSettings

DATABASE, SECRET_KEY, LICENSE_KEYS, REGISTRY_KEYS, FILES, MAIL = (
    "database",
    "secret_key",
    "license_keys",
    "registry_keys",
    "files",
    "mail",
)
SQLITE_NAME, DUMP_NAME = "devforge.db", "devforge.dump"


@dataclass(frozen=True)
class Location:
    """Where part ``part`` lives here: one file, or a folder of files."""

    part: str
    path: Path
    is_file: bool = False


def is_sqlite(settings: Settings) -> bool:
    return make_url(settings.database.database_url).get_backend_name() == "sqlite"


def sqlite_path(settings: Settings) -> Path:
    return Path(make_url(settings.database.database_url).database or "")


def secret_key_path(settings: Settings) -> Path:
    return settings.data_path / "secret_key"


def file_locations(settings: Settings, *, mail: bool = False, keys: bool = True) -> list[Location]:
    """The parts kept as files, in the order they are backed up (the database is apart)."""
    found = []
    if settings.profile == "embedded":
        found.append(Location(SECRET_KEY, secret_key_path(settings), is_file=True))
    if keys:
        found += [
            Location(LICENSE_KEYS, settings.section(LicensingSettings).license_keys_path),
            Location(REGISTRY_KEYS, settings.section(MarketplaceSettings).registry_keys_path),
        ]
    if settings.storage.storage_backend == "local":
        found.append(Location(FILES, settings.data_path / "files"))
    if mail and settings.mail.mail_backend == "maildir":
        found.append(Location(MAIL, settings.data_path / "mail"))
    return found


def not_included(settings: Settings, *, mail: bool, keys: bool, secret_file: bool) -> tuple[str, ...]:
    """What a restore needs that this backup does not hold, in words for the manifest."""
    notes = []
    if not secret_file:
        notes.append("secret_key: DEVFORGE_SECRET_KEY comes from the environment; keep it in the secret store")
    if not keys:
        notes.append("license_keys, registry_keys: left out (--without-keys); restore them from the secret store")
    if settings.storage.storage_backend != "local":
        notes.append(
            f"files: in the S3 bucket {settings.storage.s3_bucket!r}; protect it with versioning or replication"
        )
    if not mail:
        notes.append("mail: the outgoing Maildir was left out (--include-mail to keep it)")
    return tuple(notes)


def inside(path: Path, folder: Path) -> Path | None:
    """``path`` relative to ``folder`` when it lies inside it, else None."""
    try:
        return path.absolute().relative_to(folder.absolute())
    except ValueError:
        return None
