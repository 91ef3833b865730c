"""An extension package under review: the uploaded archive, and its files once it proved safe.

The archive may be a file on disk rather than bytes in memory, and its files are read one at a
time, in chunks, when a check asks for them: a review holds at most one file of the package in
memory at once (and only a file a check reads whole: a manifest, a README, a report, a text
file), never the whole package nor all its files.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from devforge.domain.marketplace.archive_safety import (
    CORRUPT,
    DEFAULT_LIMITS,
    ArchiveLimits,
    ArchiveSource,
    inspect_archive,
    member_chunks,
    nested_budget,
)
from devforge.domain.marketplace.errors import ArchiveUnsafe
from devforge.domain.marketplace.nested_archives import looks_like_archive, nested_files
from devforge.domain.marketplace.review import Finding


@dataclass(frozen=True)
class ExtensionPackage:
    """Files are read lazily through the archive-safety caps; an unsafe archive raises ``ArchiveUnsafe``
    instead of yielding files, so a check reading it crashes (ERRORED) rather than passing."""

    archive: ArchiveSource = field(repr=False)
    limits: ArchiveLimits = DEFAULT_LIMITS

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        """What archive safety finds: every entry is decompressed in chunks and checked, nothing kept."""
        return inspect_archive(self.archive, self.limits)

    @cached_property
    def files(self) -> Mapping[str, bytes]:
        """The files by path (directories left out); each read from the archive when asked for."""
        if self.findings:
            raise ArchiveUnsafe(self.findings[0].message, field="archive")
        with self._opened() as archive:
            names = tuple(info.filename for info in archive.infolist() if not info.is_dir())
        return _PackageFiles(self, names)

    def find(self, *candidates: str) -> str | None:
        """The first candidate path present in the package, compared without regard to letter case."""
        by_key = {path.casefold(): path for path in self.files}
        for candidate in candidates:
            if candidate.casefold() in by_key:
                return by_key[candidate.casefold()]
        return None

    def chunks(self) -> Iterator[tuple[str, Iterator[bytes]]]:
        """Every file by path, in path order, with its bytes in chunks: one file open at a time.
        A file that is an archive is followed by every file inside it (``outer.zip!/inner``, read
        whole, under the same limits)."""
        names = sorted(self.files)
        with self._opened() as archive:
            budget = nested_budget(archive.infolist(), self.limits)
            for path in names:
                member = member_chunks(archive, archive.getinfo(path), self.limits.max_entry_size, self.limits)
                try:
                    first = next(member, b"")
                    if not looks_like_archive(path, first[:512]):
                        yield path, itertools.chain((first,), member)
                        continue
                    data = first + b"".join(member)
                    yield path, iter((data,))
                    for inner, content in nested_files(path, data, budget):
                        yield inner, iter((content,))
                finally:
                    member.close()

    def text_files(self) -> Iterator[tuple[str, str]]:
        """Every file, nested ones included, as text whatever its encoding: invalid UTF-8 (a binary
        file, a stray byte, a NUL in a comment) is decoded with replacement characters, so what is
        ASCII in it (code, a token) is still read."""
        for path, chunks in self.chunks():
            yield path, b"".join(chunks).decode("utf-8", "replace")

    def sha256(self) -> str:
        """The SHA-256 (hex) of the archive itself, read in chunks."""
        source = self.archive
        if isinstance(source, bytes | bytearray):
            return hashlib.sha256(source).hexdigest()
        if isinstance(source, Path):
            with source.open("rb") as file:
                return hashlib.file_digest(file, "sha256").hexdigest()
        digest = hashlib.sha256()
        source.seek(0)
        while chunk := source.read(1 << 20):
            digest.update(chunk)
        return digest.hexdigest()

    @contextmanager
    def _opened(self) -> Iterator[zipfile.ZipFile]:
        source = self.archive
        try:
            archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes | bytearray) else source)
        except CORRUPT as error:
            raise ArchiveUnsafe("The package is not a readable zip archive.", field="archive") from error
        with archive:
            yield archive


class _PackageFiles(Mapping[str, bytes]):
    """A read-only view of a safe package's files: a file's bytes are read (under the caps) on
    each access and not kept, so holding the view costs only its list of paths."""

    def __init__(self, package: ExtensionPackage, names: tuple[str, ...]) -> None:
        self._package, self._names, self._set = package, names, frozenset(names)

    def __getitem__(self, path: str) -> bytes:
        if path not in self._set:
            raise KeyError(path)
        limits = self._package.limits
        with self._package._opened() as archive:
            return b"".join(member_chunks(archive, archive.getinfo(path), limits.max_entry_size, limits))

    def __contains__(self, path: object) -> bool:
        return path in self._set

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)
