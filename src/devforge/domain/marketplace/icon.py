"""Extension icons: PNG or SVG, recognised by their bytes (not their file name), at most 1 MiB.

A PNG is 128 to 1024 pixels on each side. An SVG may not carry scripts, event handlers or
``javascript:`` links, since editors render it.
"""

from __future__ import annotations

import re
import struct

from devforge.domain.marketplace.review import Finding

MAX_ICON_BYTES = 1024 * 1024
MIN_PNG_SIDE, MAX_PNG_SIDE = 128, 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?<svg[\s>]", re.DOTALL)
SVG_ACTIVE_CONTENT = re.compile(rb"<script|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def icon_findings(path: str, data: bytes) -> list[Finding]:
    if len(data) > MAX_ICON_BYTES:
        return [Finding("icon_too_large", f"The icon '{path}' is larger than 1 MiB.", path)]
    if data.startswith(PNG_MAGIC):
        return _png_findings(path, data)
    if SVG_START.match(data[:4096].removeprefix(b"\xef\xbb\xbf")):
        if SVG_ACTIVE_CONTENT.search(data):
            return [Finding("icon_unsafe", f"The SVG icon '{path}' contains scripts or event handlers.", path)]
        return []
    return [Finding("icon_format", f"The icon '{path}' is neither a PNG nor an SVG image.", path)]


def _png_findings(path: str, data: bytes) -> list[Finding]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        return [Finding("icon_format", f"The icon '{path}' is not a valid PNG image.", path)]
    width, height = struct.unpack(">II", data[16:24])
    if not (MIN_PNG_SIDE <= width <= MAX_PNG_SIDE and MIN_PNG_SIDE <= height <= MAX_PNG_SIDE):
        message = (
            f"The icon '{path}' is {width}x{height} pixels; use {MIN_PNG_SIDE} to {MAX_PNG_SIDE} pixels on each side."
        )
        return [Finding("icon_size", message, path)]
    return []
