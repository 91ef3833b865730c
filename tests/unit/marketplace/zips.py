"""Building package archives in memory: honest ones with ``zipfile``, hostile ones byte by byte."""

from __future__ import annotations

import io
import json
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from devforge.domain.marketplace.package import ExtensionPackage

README = (
    "# Rainbow Brackets\n\nColours matching brackets in six shades so that nested code reads at a glance.\n"
    "Works with every language the editor highlights.\n\n## Usage\n\nInstall it and open any source file.\n"
)
CHANGELOG = "# Changelog\n\n## [1.2.0] - 2026-05-01\n- Nested template literals.\n\n## [1.1.0]\n- First release.\n"
ENTRY_POINT = (
    "const vscode = require('devforge');\nexports.activate = () => vscode.window.showInformationMessage('hi');\n"
)


def manifest(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "rainbow-brackets",
        "publisher": "acme",
        "version": "1.2.0",
        "engines": {"devforge": "^1.80.0"},
        "license": "MIT",
        "main": "./out/extension.js",
        "displayName": "Rainbow Brackets",
        "description": "Colours matching brackets.",
        "icon": "images/icon.png",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def png(width: int = 128, height: int = 128) -> bytes:
    header = struct.pack(">II", width, height) + b"\x08\x06\x00\x00\x00"
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + header + b"\x00" * 4


def clean_files(replace: dict[str, bytes | None] | None = None) -> dict[str, bytes]:
    """A well-formed package, VSIX-style under ``extension/``; ``None`` removes a file."""
    files = {
        "extension/package.json": json.dumps(manifest()).encode(),
        "extension/README.md": README.encode(),
        "extension/CHANGELOG.md": CHANGELOG.encode(),
        "extension/out/extension.js": ENTRY_POINT.encode(),
        "extension/images/icon.png": png(),
        "extension/LICENSE": b"MIT License\n",
    }
    for path, data in (replace or {}).items():
        if data is None:
            files.pop(path, None)
        else:
            files[path] = data
    return files


def build_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return buffer.getvalue()


def package_of(files: dict[str, bytes]) -> ExtensionPackage:
    return ExtensionPackage(build_zip(files))


@dataclass(frozen=True)
class RawEntry:
    """An entry written byte by byte, so a test can set what ``zipfile`` would refuse or fix."""

    name: str
    data: bytes = b"x"  # the bytes as stored (already compressed when method is deflate)
    method: int = zipfile.ZIP_STORED
    file_size: int | None = None  # the declared size; defaults to the stored data's length
    crc: int | None = None
    mode: int = 0o100644  # unix mode in the high bits of external_attr
    flag_bits: int = 0


def raw_zip(entries: list[RawEntry]) -> bytes:
    body, directory = bytearray(), bytearray()
    for entry in entries:
        name = entry.name.encode()
        crc = zlib.crc32(entry.data) if entry.crc is None else entry.crc
        size = len(entry.data) if entry.file_size is None else entry.file_size
        sizes = (entry.flag_bits, entry.method, 0, 0x21, crc, len(entry.data), size, len(name))
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, *sizes, 0) + name + entry.data
        directory += struct.pack("<IHH", 0x02014B50, (3 << 8) | 20, 20)
        directory += struct.pack("<HHHHIIIHHHHHII", *sizes, 0, 0, 0, 0, entry.mode << 16, offset) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    return bytes(body + directory + end)


def zeros_deflated(mebibytes: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``mebibytes`` MiB of zeros, built from one compressed MiB (~1 KiB)
    repeated, so the test never holds the expanded bytes; and its CRC-32."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    one_mebibyte = bytes(1 << 20)
    first = compressor.compress(one_mebibyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(one_mebibyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = first + repeat * (mebibytes - 1) + compressor.flush()
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(one_mebibyte, crc)
    return stream, crc


SYMLINK_MODE = stat.S_IFLNK | 0o777
