"""``devforge backup`` / ``devforge restore`` on a small embedded installation: the manifest
says what is in the archive, and a restore that would overwrite something, or whose archive is
altered, damaged, cut short, escapes its folder or comes from a newer release, is refused with
nothing written (no target, no staging left behind)."""

from __future__ import annotations

import hashlib
import io
import shutil
import sqlite3
import tarfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec
import pytest

from devforge.adapters.backup.manifest import FORMAT, VERSION, Manifest
from devforge.adapters.backup.tar_backup_writer import TarBackupWriter
from devforge.adapters.persistence.migrate import revisions
from devforge.adapters.security.ed25519_license_signer import Ed25519LicenseSigner
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.settings import load_settings
from devforge.bootstrap.settings.licensing import LicensingSettings
from devforge.entrypoints.cli.main import main

Member = tuple[tarfile.TarInfo, bytes]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., int]:
    def run(data_dir: Path, *argv: str) -> int:
        monkeypatch.setenv("DEVFORGE_DATA_DIR", str(data_dir))
        return main(list(argv))

    return run


@pytest.fixture
def archive(tmp_path: Path, run: Callable[..., int]) -> Path:
    """The backup of a migrated installation with a key ring, a secret key and two files."""
    data = tmp_path / "installed"
    settings = load_settings({"DEVFORGE_DATA_DIR": str(data)})
    migrate(settings)
    Ed25519LicenseSigner.load_or_create(settings.section(LicensingSettings).license_keys_path)
    (data / "files" / "packages").mkdir(parents=True)
    (data / "files" / "packages" / "a.zip").write_bytes(b"PK\x03\x04 a package")
    (data / "files" / "packages" / ".b.zip.x1.tmp").write_bytes(b"an upload still being written")
    (data / "files" / "logo.png").write_bytes(b"\x89PNG a logo")
    path = tmp_path / "backup.tar.gz"
    assert run(data, "backup", "--output", str(path)) == 0
    return path


def members(path: Path) -> list[Member]:
    with tarfile.open(path, "r:gz") as tar:
        return [(info, tar.extractfile(info).read()) for info in tar if info.isfile()]  # type: ignore[union-attr]


def write(path: Path, entries: list[Member]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for info, data in entries:
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def untouched(parent: Path, *expected: str) -> None:
    """``parent`` holds exactly ``expected``: no restored folder, no staging left behind."""
    assert sorted(p.name for p in parent.iterdir()) == sorted(expected)


def test_the_manifest_lists_each_part_with_the_sha256_of_its_files(archive: Path, tmp_path: Path) -> None:
    assert archive.stat().st_mode & 0o777 == 0o600
    entries = members(archive)
    assert entries[-1][0].name == "manifest.json"
    manifest = msgspec.json.decode(entries[-1][1], type=Manifest)
    assert (manifest.format, manifest.version, manifest.profile) == (FORMAT, VERSION, "embedded")
    assert manifest.schema_revision == revisions()[-1]  # head
    assert datetime.now(UTC) - manifest.created_at < timedelta(minutes=5)
    assert [part.name for part in manifest.parts] == [
        "database",
        "secret_key",
        "license_keys",
        "registry_keys",
        "files",
    ]
    content = {info.name: data for info, data in entries}
    source = tmp_path / "installed"
    for part in manifest.parts:
        for entry in part.files:
            data = content[f"{part.name}/{entry.path}"]
            assert hashlib.sha256(data).hexdigest() == entry.sha256 and len(data) == entry.bytes
        listing = "".join(f"{e.sha256}  {e.path}\n" for e in part.files)  # as `sha256sum` prints it
        assert part.sha256 == hashlib.sha256(listing.encode()).hexdigest()
    files = manifest.part("files")
    assert files is not None and [e.path for e in files.files] == ["logo.png", "packages/a.zip"]  # no temp file
    assert content["secret_key/secret_key"] == (source / "secret_key").read_bytes()
    snapshot = tmp_path / "snapshot.db"
    snapshot.write_bytes(content["database/devforge.db"])
    with sqlite3.connect(snapshot) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (revisions()[-1],)


def test_a_backup_never_writes_over_an_existing_file(archive: Path, tmp_path: Path, run: Callable[..., int]) -> None:
    before = archive.read_bytes()
    assert run(tmp_path / "installed", "backup", "--output", str(archive)) == 1
    assert archive.read_bytes() == before


def test_a_non_empty_data_dir_is_refused_unless_forced(
    archive: Path, tmp_path: Path, run: Callable[..., int], capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "target"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    assert run(target, "restore", str(archive)) == 1
    assert "is not empty" in capsys.readouterr().err
    untouched(target, "notes.txt")
    untouched(tmp_path, "installed", "backup.tar.gz", "target")

    assert run(target, "restore", "--force", str(archive)) == 0
    assert (target / "files" / "packages" / "a.zip").read_bytes() == b"PK\x03\x04 a package"
    [aside] = tmp_path.glob("target.replaced-*")
    untouched(aside, "notes.txt")  # moved aside, not deleted


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda path: write(path, [(i, b"PK evil" if i.name.endswith("a.zip") else d) for i, d in members(path)]),
         "does not match its SHA-256"),
        (lambda path: write(path, [(i, d) for i, d in members(path) if not i.name.endswith("logo.png")]),
         "missing from the archive"),
        (lambda path: write(path, [(i, d) for i, d in members(path) if i.name != "manifest.json"]), "no manifest"),
        (lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]), "damaged or truncated"),
        # Where the flipped bit lands decides which check trips first; any of them refuses.
        (lambda path: path.write_bytes(_flip(path.read_bytes())), "the archive cannot be restored"),
    ],
    ids=["altered-file", "missing-file", "no-manifest", "truncated", "flipped-byte"],
)  # fmt: skip
def test_a_damaged_archive_is_refused_and_nothing_is_written(
    archive: Path,
    tmp_path: Path,
    run: Callable[..., int],
    capsys: pytest.CaptureFixture[str],
    damage: Callable[[Path], object],
    message: str,
) -> None:
    damage(archive)
    assert run(tmp_path / "target", "restore", str(archive)) == 1
    assert message in capsys.readouterr().err
    untouched(tmp_path, "installed", "backup.tar.gz")
    assert run(tmp_path / "target", "restore", "--verify-only", str(archive)) == 1


def test_a_member_that_escapes_its_folder_is_refused(archive: Path, tmp_path: Path, run: Callable[..., int]) -> None:
    escaping = tarfile.TarInfo("files/../../../escaped.txt")
    write(archive, [(escaping, b"outside"), *members(archive)])
    assert run(tmp_path / "target", "restore", str(archive)) == 1
    assert not list(tmp_path.rglob("escaped.txt"))
    untouched(tmp_path, "installed", "backup.tar.gz")


def test_a_backup_from_a_newer_release_is_refused(
    tmp_path: Path, run: Callable[..., int], capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "installed"
    migrate(load_settings({"DEVFORGE_DATA_DIR": str(data)}))
    with sqlite3.connect(data / "devforge.db") as db:
        db.execute("UPDATE alembic_version SET version_num = '0099'")
    assert run(data, "backup", "--output", str(tmp_path / "newer.tar.gz")) == 0
    assert run(tmp_path / "target", "restore", str(tmp_path / "newer.tar.gz")) == 1
    assert "revision 0099, which this release does not know" in capsys.readouterr().err
    untouched(tmp_path, "installed", "newer.tar.gz")


def test_a_production_archive_does_not_restore_into_an_embedded_installation(
    tmp_path: Path, run: Callable[..., int], capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "devforge.dump"
    dump.write_bytes(b"PGDMP a custom-format dump")
    with TarBackupWriter(tmp_path / "production.tar.gz") as writer:
        writer.add_file("database", "pg_dump", dump, "devforge.dump")
        writer.finish(Manifest(FORMAT, VERSION, datetime.now(UTC), "production", revisions()[-1], ()))
    assert run(tmp_path / "target", "restore", str(tmp_path / "production.tar.gz")) == 1
    assert "does not fit this profile" in capsys.readouterr().err
    untouched(tmp_path, "devforge.dump", "production.tar.gz")


def _flip(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


def test_a_key_ring_kept_elsewhere_is_left_alone_when_identical_and_refused_when_not(
    archive: Path, tmp_path: Path, run: Callable[..., int], monkeypatch: pytest.MonkeyPatch
) -> None:
    mounted = tmp_path / "secrets" / "license_keys"  # a ring outside the data dir, as a mounted secret is
    shutil.copytree(tmp_path / "installed" / "license_keys", mounted)
    monkeypatch.setenv("DEVFORGE_LICENSE_KEYS_DIR", str(mounted))
    before = {path.name: path.stat().st_mtime_ns for path in mounted.iterdir()}

    assert run(tmp_path / "first", "restore", str(archive)) == 0
    assert {path.name: path.stat().st_mtime_ns for path in mounted.iterdir()} == before  # the same ring: kept
    assert not (tmp_path / "first" / "license_keys").exists()

    Ed25519LicenseSigner.generate().save(other := tmp_path / "other")
    shutil.rmtree(mounted)
    shutil.copytree(other, mounted)
    assert run(tmp_path / "second", "restore", str(archive)) == 1  # another ring: not overwritten
    assert not (tmp_path / "second").exists()
    assert sorted(p.name for p in mounted.iterdir()) == sorted(p.name for p in other.iterdir())
    assert not list((tmp_path / "secrets").glob(".*restore*"))  # no staging left behind
    untouched(tmp_path, "installed", "backup.tar.gz", "secrets", "first", "other")
