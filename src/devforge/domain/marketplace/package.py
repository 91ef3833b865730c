"""An extension package under review: the uploaded archive, and its files once it proved safe."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from devforge.domain.marketplace.archive_safety import DEFAULT_LIMITS, ArchiveLimits, read_entries

BINARY_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class ExtensionPackage:
    """Files are read lazily through the archive-safety caps; an unsafe archive raises ``ArchiveUnsafe``
    instead of yielding files, so a check reading it crashes (ERRORED) rather than passing."""

    archive: bytes = field(repr=False)
    limits: ArchiveLimits = DEFAULT_LIMITS

    @cached_property
    def files(self) -> Mapping[str, bytes]:
        return read_entries(self.archive, self.limits)

    def find(self, *candidates: str) -> str | None:
        """The first candidate path present in the package, compared without regard to letter case."""
        by_key = {path.casefold(): path for path in self.files}
        for candidate in candidates:
            if candidate.casefold() in by_key:
                return by_key[candidate.casefold()]
        return None

    def text_files(self) -> Iterator[tuple[str, str]]:
        """Files that look like text (no NUL byte up front, valid UTF-8), with their contents."""
        for path, data in sorted(self.files.items()):
            if b"\x00" in data[:BINARY_SNIFF_BYTES]:
                continue
            try:
                yield path, data.decode("utf-8")
            except UnicodeDecodeError:
                continue
