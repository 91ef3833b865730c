"""Polyglots: a zip is read from its end, so bytes before the first local header (a shell script,
an executable) or after the end-of-central-directory record are ignored by zip readers and run by
others. A package is its zip and nothing else: both are refused."""

from __future__ import annotations

import struct
import zipfile
from typing import IO

from devforge.domain.marketplace.review import Finding

END_OF_DIRECTORY = b"PK\x05\x06"
END_RECORD_SIZE = 22
MAX_COMMENT = 0xFFFF


def framing_findings(file: IO[bytes], entries: list[zipfile.ZipInfo], directory_start: int) -> list[Finding]:
    """``directory_start`` is where the central directory actually starts (``ZipFile.start_dir``)."""
    findings: list[Finding] = []
    first = min((info.header_offset for info in entries), default=directory_start)
    if first > 0:
        message = f"The package has {first:,} bytes before its first zip entry (a polyglot file); upload the zip alone."
        findings.append(Finding("data_before_zip", message))
    size = file.seek(0, 2)
    tail_start = max(0, size - END_RECORD_SIZE - MAX_COMMENT)
    file.seek(tail_start)
    tail = file.read()
    at = tail.rfind(END_OF_DIRECTORY)
    if at >= 0 and at + END_RECORD_SIZE <= len(tail):
        (comment_length,) = struct.unpack_from("<H", tail, at + 20)
        extra = len(tail) - (at + END_RECORD_SIZE + comment_length)
        if extra > 0:
            message = f"The package has {extra:,} bytes after the end of its zip directory (a polyglot file)."
            findings.append(Finding("data_after_zip", message))
    return findings
