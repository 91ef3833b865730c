"""Archives inside the package (zip, vsix, jar, tgz, tar, gzip) are opened, recursively, to
``MAX_DEPTH`` levels, under the package's own bomb limits: each nested file at most
``max_entry_size``, every nested file together at most ``max_total_size``, a zip entry within the
compression ratio, and names held to the same rules (``archive_names``, no
``..``, no absolute path, no link). Whatever passes a limit raises ``ArchiveUnsafe``; nothing is
written to disk. Nested files are named ``outer.zip!/inner/path``."""

from __future__ import annotations

import io
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from devforge.domain.marketplace.archive_names import name_problem
from devforge.domain.marketplace.errors import ArchiveUnsafe

ARCHIVE_SUFFIXES = (".zip", ".vsix", ".jar", ".war", ".nupkg", ".whl", ".tgz", ".tar.gz", ".tar", ".gz", ".crx")
ZIP_MAGIC, GZIP_MAGIC = b"PK\x03\x04", b"\x1f\x8b"
MAX_DEPTH = 3
SEPARATOR = "!/"


def looks_like_archive(path: str, head: bytes) -> bool:
    return path.lower().endswith(ARCHIVE_SUFFIXES) or head.startswith((ZIP_MAGIC, GZIP_MAGIC)) or _is_tar(head)


@dataclass
class Budget:
    """What nested files may still unpack to, shared by every nested archive of one package."""

    remaining: int
    max_entry_size: int
    max_ratio: int
    ratio_floor: int

    def take(self, path: str, size: int) -> None:
        self.remaining -= size
        if self.remaining < 0 or size > self.max_entry_size:
            raise ArchiveUnsafe(f"'{path}' unpacks to more than the limits allow (a nested zip bomb).", field="archive")


def nested_files(path: str, data: bytes, budget: Budget, depth: int = 1) -> Iterator[tuple[str, bytes]]:
    """Every file inside the archive ``data`` (named ``path``), and inside the archives in it."""
    if depth > MAX_DEPTH:
        raise ArchiveUnsafe(f"'{path}' nests archives more than {MAX_DEPTH} levels deep.", field="archive")
    for name, content in _members(path, data, budget):
        inner = f"{path}{SEPARATOR}{name}"
        yield inner, content
        if looks_like_archive(name, content[:512]):
            yield from nested_files(inner, content, budget, depth + 1)


def _members(path: str, data: bytes, budget: Budget) -> Iterator[tuple[str, bytes]]:
    try:
        if data.startswith(ZIP_MAGIC) or zipfile.is_zipfile(io.BytesIO(data)):
            yield from _zip_members(path, data, budget)
        elif data.startswith(GZIP_MAGIC) and not _is_tar(_gunzip(path, data, budget, 512)):
            yield "", _gunzip(path, data, budget, budget.max_entry_size + 1)
        else:
            yield from _tar_members(path, data, budget)
    except (zipfile.BadZipFile, tarfile.TarError, zlib.error, EOFError, OSError, ValueError) as error:
        raise ArchiveUnsafe(f"'{path}' is an archive that cannot be read ({type(error).__name__}).") from error


def _zip_members(path: str, data: bytes, budget: Budget) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            _check_name(path, info.orig_filename)
            if info.is_dir():
                continue
            chunks, size = [], 0
            with archive.open(info) as stream:
                while chunk := stream.read(64 * 1024):
                    size += len(chunk)
                    budget.take(f"{path}{SEPARATOR}{info.filename}", len(chunk))
                    if size >= budget.ratio_floor and size > budget.max_ratio * max(info.compress_size, 1):
                        raise ArchiveUnsafe(f"'{path}{SEPARATOR}{info.filename}' is a zip bomb.", field="archive")
                    chunks.append(chunk)
            yield info.filename, b"".join(chunks)


def _tar_members(path: str, data: bytes, budget: Budget) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
        for member in archive:
            _check_name(path, member.name)
            if member.issym() or member.islnk() or member.isdev():
                raise ArchiveUnsafe(f"'{path}{SEPARATOR}{member.name}' is a link or a device.", field="archive")
            if not member.isfile():
                continue
            budget.take(f"{path}{SEPARATOR}{member.name}", member.size)
            stream = archive.extractfile(member)
            yield member.name, stream.read(member.size) if stream is not None else b""


def _gunzip(path: str, data: bytes, budget: Budget, limit: int) -> bytes:
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    out = inflater.decompress(data, limit)
    if limit > 512:
        budget.take(path, len(out))
    return out


def _check_name(path: str, raw: str) -> None:
    problem = name_problem(raw)
    segments = raw.replace("\\", "/").split("/")
    if problem is None and (raw.startswith(("/", "\\")) or ".." in segments):
        problem = ("path_traversal", f"'{raw}' climbs out of its folder")
    if problem is not None:
        raise ArchiveUnsafe(f"Inside '{path}': {problem[1]}.", field="archive")


def _is_tar(head: bytes) -> bool:
    return len(head) >= 262 and head[257:262] == b"ustar"
