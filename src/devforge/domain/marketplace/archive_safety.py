"""Archive safety: a package archive is inspected without extracting anything to disk.

Refused: entries that climb out of the extraction folder (``..`` segments, zip-slip), absolute
paths (``/x``, ``\\x``, ``C:\\x``), backslash separators, symbolic links, encrypted entries,
compression methods other than stored and deflate, two paths that differ only in letter case
(or in Unicode normalization), the names ``archive_names`` refuses (NUL, control characters, not
NFC, a second root manifest), bytes before the first entry or after the zip's end (polyglots,
``archive_framing``), nested archives that break these limits (``nested_archives``), and zip
bombs. Bombs are caught twice: on the sizes the archive declares (entry count, total size, size
per entry, compression ratio), and on the bytes actually decompressed, which are read in small
chunks and abandoned as soon as a cap is passed, so a lying header costs nothing.
"""

from __future__ import annotations

import io
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, ClassVar

from devforge.domain.marketplace.archive_framing import framing_findings
from devforge.domain.marketplace.archive_names import name_findings
from devforge.domain.marketplace.errors import ArchiveUnsafe
from devforge.domain.marketplace.nested_archives import Budget, looks_like_archive, nested_files
from devforge.domain.marketplace.review import CheckResult, Finding

if TYPE_CHECKING:
    from devforge.domain.marketplace.package import ExtensionPackage

MIB = 1024 * 1024
DRIVE_LETTER = re.compile(r"^[A-Za-z]:")
SUPPORTED_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


@dataclass(frozen=True)
class ArchiveLimits:
    """Entries under ``ratio_floor`` bytes are not held to the ratio: small text compresses very well.
    The sizes default to the settings' (``marketplace_max_unpacked_bytes``, ``marketplace_max_entry_bytes``):
    an editor-sized extension passes; the bomb defences are the ratio, the entry count and nesting."""

    max_total_size: int = 256 * MIB
    max_entries: int = 10_000
    max_entry_size: int = 64 * MIB
    max_ratio: int = 100
    ratio_floor: int = 1 * MIB
    chunk_size: int = 64 * 1024


DEFAULT_LIMITS = ArchiveLimits()
ArchiveSource = bytes | IO[bytes] | Path
"""The archive's bytes, a binary file object, or the path of the file holding them."""
CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


def inspect_archive(source: ArchiveSource, limits: ArchiveLimits = DEFAULT_LIMITS) -> tuple[Finding, ...]:
    findings, _ = _scan(source, limits, keep=False)
    return findings


def read_entries(source: ArchiveSource, limits: ArchiveLimits = DEFAULT_LIMITS) -> dict[str, bytes]:
    """The files of a safe archive by path (directories left out); raises ``ArchiveUnsafe`` otherwise."""
    findings, files = _scan(source, limits, keep=True)
    if findings:
        raise ArchiveUnsafe(findings[0].message, field="archive")
    return files


class ArchiveSafetyCheck:
    name: ClassVar[str] = "archive_safety"

    def __init__(self, limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
        self.limits = limits

    def run(self, package: ExtensionPackage) -> CheckResult:
        findings = package.findings if package.limits == self.limits else inspect_archive(package.archive, self.limits)
        return CheckResult.from_findings(self.name, findings, "The archive is safe to unpack.")


def member_chunks(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, limits: ArchiveLimits
) -> Generator[bytes, None, None]:
    """One entry of an archive ``inspect_archive`` found safe, in chunks of ``limits.chunk_size``,
    never more than ``cap`` bytes nor past the ratio: a file changed since, or lying now, raises
    ``ArchiveUnsafe`` rather than yielding more, as does a corrupt entry (its CRC is checked at the end)."""
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(limits.chunk_size):
                size += len(chunk)
                if size > cap or _ratio_exceeded(size, info.compress_size, limits):
                    raise ArchiveUnsafe(f"'{info.filename}' unpacks to more than its limits allow.", field="archive")
                yield chunk
    except CORRUPT as error:
        raise ArchiveUnsafe(f"'{info.filename}' is corrupt: {type(error).__name__}.", field="archive") from error


def _scan(source: ArchiveSource, limits: ArchiveLimits, *, keep: bool) -> tuple[tuple[Finding, ...], dict[str, bytes]]:
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return (Finding("not_a_zip", "The package is not a readable zip archive."),), {}
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            message = f"The archive holds {len(entries):,} entries; the limit is {limits.max_entries:,}."
            return (Finding("too_many_entries", message),), {}
        findings = (
            *name_findings(info.orig_filename for info in entries),
            *_name_findings(entries),
            *_declared_size_findings(entries, limits),
        )
        if archive.fp is not None:
            findings = (*findings, *framing_findings(archive.fp, entries, archive.start_dir))
        if findings:
            return findings, {}
        return _read_all(archive, entries, limits, keep=keep)


def _name_findings(entries: Iterable[zipfile.ZipInfo]) -> list[Finding]:
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for info in entries:
        name = info.filename
        segments = re.split(r"[/\\]", name)
        if name.startswith(("/", "\\")) or DRIVE_LETTER.match(name):
            findings.append(
                Finding("absolute_path", f"'{name}' is an absolute path; use paths inside the package.", name)
            )
        elif ".." in segments:
            message = f"'{name}' climbs out of the package folder with '..' (path traversal)."
            findings.append(Finding("path_traversal", message, name))
        elif "\\" in name:
            message = f"'{name}' uses backslashes as separators; use forward slashes."
            findings.append(Finding("backslash_path", message, name))
        if stat.S_ISLNK(info.external_attr >> 16):
            findings.append(Finding("symlink", f"'{name}' is a symbolic link; packages may not contain links.", name))
        if info.flag_bits & 0x1:
            findings.append(Finding("encrypted_entry", f"'{name}' is encrypted; packages must be readable.", name))
        if info.compress_type not in SUPPORTED_METHODS:
            message = f"'{name}' uses an unsupported compression method; use deflate or store."
            findings.append(Finding("unsupported_compression", message, name))
        key = unicodedata.normalize("NFC", name.replace("\\", "/")).casefold()
        if key in seen:
            other = seen[key]
            why = "appears twice" if other == name else f"and '{other}' differ only in letter case"
            message = f"'{name}' {why}; one would overwrite the other when unpacked."
            findings.append(Finding("duplicate_path", message, name))
        seen.setdefault(key, name)
    return findings


def _declared_size_findings(entries: Iterable[zipfile.ZipInfo], limits: ArchiveLimits) -> list[Finding]:
    findings: list[Finding] = []
    total = 0
    for info in entries:
        total += info.file_size
        if info.file_size > limits.max_entry_size:
            size, limit = _mib(info.file_size), _mib(limits.max_entry_size)
            message = f"'{info.filename}' unpacks to {size}; the limit per file is {limit}."
            findings.append(Finding("entry_too_large", message, info.filename))
        if _ratio_exceeded(info.file_size, info.compress_size, limits):
            message = f"'{info.filename}' expands more than {limits.max_ratio}-fold when unpacked (a zip bomb)."
            findings.append(Finding("compression_ratio", message, info.filename))
    if total > limits.max_total_size:
        message = f"The archive unpacks to {_mib(total)}; the limit is {_mib(limits.max_total_size)}."
        findings.append(Finding("archive_too_large", message))
    return findings


def _read_all(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], limits: ArchiveLimits, *, keep: bool
) -> tuple[tuple[Finding, ...], dict[str, bytes]]:
    """Decompress every entry in chunks, stopping at the first cap passed; also verifies each CRC."""
    files: dict[str, bytes] = {}
    total = 0
    budget = nested_budget(entries, limits)
    for info in entries:
        if info.is_dir():
            continue
        cap = min(limits.max_entry_size, limits.max_total_size - total)
        try:
            size, data = _read_capped(archive, info, cap, limits, keep=keep)
        except CORRUPT:
            message = f"'{info.filename}' is corrupt or its declared size is false."
            return (Finding("corrupt_entry", message, info.filename),), {}
        if size is None:
            message = f"'{info.filename}' unpacks to more than its limits allow (a zip bomb)."
            return (Finding("size_cap_exceeded", message, info.filename),), {}
        total += size
        if looks_like_archive(info.filename, data[:512]):
            try:
                for _ in nested_files(info.filename, data, budget):
                    pass
            except ArchiveUnsafe as error:
                return (Finding("nested_archive", str(error), info.filename),), {}
        if keep:
            files[info.filename] = data
    return (), files


def nested_budget(entries: Iterable[zipfile.ZipInfo], limits: ArchiveLimits) -> Budget:
    """Every nested file together may unpack to ``max_total_size`` once more: a package that ships
    its own files and an archive of them (sql.js's ``sqljs-all.zip``) is not a bomb, and the work
    stays bounded at twice the limit."""
    del entries  # the allowance does not depend on them
    return Budget(limits.max_total_size, limits.max_entry_size, limits.max_ratio, limits.ratio_floor)


def _read_capped(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, limits: ArchiveLimits, *, keep: bool
) -> tuple[int | None, bytes]:
    """The entry's actual size and bytes (kept when asked, or when the entry is an archive), or
    ``None`` as soon as it passes ``cap`` or the ratio."""
    chunks: list[bytes] = []
    size = 0
    keep = keep or looks_like_archive(info.filename, b"")
    with archive.open(info) as stream:
        while chunk := stream.read(limits.chunk_size):
            keep = keep or (size == 0 and looks_like_archive(info.filename, chunk[:512]))
            size += len(chunk)
            if size > cap or _ratio_exceeded(size, info.compress_size, limits):
                return None, b""
            if keep:
                chunks.append(chunk)
    return size, b"".join(chunks)


def _ratio_exceeded(size: int, compressed: int, limits: ArchiveLimits) -> bool:
    return size >= limits.ratio_floor and size > limits.max_ratio * max(compressed, 1)


def _mib(size: int) -> str:
    return f"{size / MIB:,.1f} MiB"
