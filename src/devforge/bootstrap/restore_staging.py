"""Where a restore writes before it is sure, and how it then puts things in place.

Every part is written to a hidden staging path beside its target (same filesystem, so the last
step is a rename). In embedded the whole data directory is staged as one folder and renamed in
one step; targets outside it (a key ring or database configured elsewhere) get their own. What
is replaced under ``--force`` is moved aside (``<name>.replaced-<time>``), never deleted.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path

from devforge.bootstrap.backup_parts import Location, inside

SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


def occupied(path: Path) -> bool:
    """A file (or a SQLite file's sidecar) is there, or a folder with anything in it."""
    if path.is_dir():
        return any(path.iterdir())
    return path.exists() or any(Path(f"{path}{suffix}").exists() for suffix in SQLITE_SIDECARS)


class Staging:
    def __init__(self, locations: list[Location], root: Path | None) -> None:
        """``root``: the folder staged as a whole (the embedded data directory), if any."""
        self._token = secrets.token_hex(4)
        self.root, self.locations = root, {location.part: location for location in locations}
        self.root_stage = root.parent / f".{root.name}.restore-{self._token}" if root else None
        if self.root_stage:
            self.root_stage.mkdir(parents=True, mode=0o700)
        self.paths = {location.part: self._stage_of(location) for location in locations}

    def _stage_of(self, location: Location) -> Path:
        relative = inside(location.path, self.root) if self.root else None
        if relative is not None and self.root_stage is not None:
            return self.root_stage / relative
        return location.path.parent / f".{location.path.name}.restore-{self._token}"

    def external(self) -> list[Location]:
        """Locations staged on their own (outside the staged root)."""
        root = self.root
        return [loc for loc in self.locations.values() if root is None or inside(loc.path, root) is None]

    def identical(self, location: Location) -> bool:
        """The target already holds exactly what was staged for it (a mounted key ring, say)."""
        return _digests(self.paths[location.part]) == _digests(location.path)

    def discard(self, part: str | None = None) -> None:
        """Removes what was staged: for ``part`` only, or everything."""
        if part is not None:
            return _remove(self.paths[part])
        for path in [*self.paths.values(), *([self.root_stage] if self.root_stage else [])]:
            _remove(path)

    def put_in_place(self, location: Location) -> Path | None:
        """Renames the staged copy over the target; answers where the old one went, if anywhere."""
        staged = self.paths[location.part]
        if not staged.exists():
            return None
        aside = move_aside(location.path, sqlite=location.is_file)
        os.replace(staged, location.path)
        return aside

    def put_root_in_place(self) -> Path | None:
        assert self.root is not None and self.root_stage is not None
        aside = move_aside(self.root) if occupied(self.root) else None
        os.replace(self.root_stage, self.root)  # over an empty folder, or where none is
        return aside


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def move_aside(path: Path, *, sqlite: bool = False) -> Path | None:
    if not path.exists() or (path.is_dir() and not any(path.iterdir())):
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.replaced-{stamp}")
    os.replace(path, aside)
    for suffix in SQLITE_SIDECARS if sqlite else ():  # an old WAL must not meet the new database
        sidecar = Path(f"{path}{suffix}")
        if sidecar.exists():
            os.replace(sidecar, Path(f"{aside}{suffix}"))
    return aside


def _digests(path: Path) -> dict[str, str] | None:
    if path.is_file():
        return {"": _sha256(path)}
    if not path.is_dir():
        return None
    return {file.relative_to(path).as_posix(): _sha256(file) for file in path.rglob("*") if file.is_file()}


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()
