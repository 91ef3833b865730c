"""The hostile corpus: one package per attack, each with the check that must stop it and the
words its publisher-facing reason must hold; and the clean package that must pass. Built from
``zips`` (the same builders the check tests use)."""

from __future__ import annotations

import json
import random
import string
import zipfile
from dataclasses import dataclass

from .test_documentation import TEMPLATE_README
from .zips import SYMLINK_MODE, RawEntry, build_zip, clean_files, manifest, raw_zip, zeros_deflated

LEAKED_KEY = "dfk_live_" + "".join(random.Random(3).choice(string.ascii_letters) for _ in range(43))


@dataclass(frozen=True)
class Hostile:
    archive: bytes
    check: str
    words: str
    state: str  # "rejected" or "quarantined"


def clean_package(version: str = "1.2.0") -> bytes:
    files = clean_files({"extension/package.json": json.dumps(manifest(version=version)).encode()})
    if version != "1.2.0":
        files["extension/CHANGELOG.md"] += f"\n## [{version}]\n- More colours.\n".encode()
    return build_zip(files)


def _with_manifest(**overrides: object) -> bytes:
    return build_zip(clean_files({"extension/package.json": json.dumps(manifest(**overrides)).encode()}))


def _bomb() -> bytes:
    stream, crc = zeros_deflated(30)
    return raw_zip(
        [
            RawEntry("extension/package.json"),
            RawEntry("extension/bomb.bin", stream, zipfile.ZIP_DEFLATED, 30 << 20, crc),
        ]
    )


def hostile_corpus() -> dict[str, Hostile]:
    return {
        "zip-slip": Hostile(
            raw_zip([RawEntry("extension/package.json"), RawEntry("../../evil.js")]),
            "archive_safety",
            "path traversal",
            "quarantined",
        ),
        "symlink": Hostile(
            raw_zip([RawEntry("extension/out", b"/etc", mode=SYMLINK_MODE)]),
            "archive_safety",
            "symbolic link",
            "quarantined",
        ),
        "zip bomb": Hostile(_bomb(), "archive_safety", "zip bomb", "quarantined"),
        "case duplicates": Hostile(
            raw_zip([RawEntry("extension/A.js"), RawEntry("extension/a.js")]),
            "archive_safety",
            "differ only in letter case",
            "quarantined",
        ),
        "leaked key": Hostile(
            build_zip(clean_files({"extension/out/ci.js": f"const k = '{LEAKED_KEY}';".encode()})),
            "secrets",
            "Dev Forge API key",
            "rejected",
        ),
        "obfuscated eval": Hostile(
            build_zip(clean_files({"extension/out/extension.js": b"eval(atob('YWxlcnQoMSk='));"})),
            "suspicious_code",
            "decoded",
            "quarantined",
        ),
        "missing license": Hostile(_with_manifest(license=None), "manifest", "'license' is required", "rejected"),
        "bad semver": Hostile(_with_manifest(version="1.2"), "manifest", "not a semantic version", "rejected"),
        "template README": Hostile(
            build_zip(clean_files({"extension/README.md": TEMPLATE_README})),
            "documentation",
            "template text",
            "rejected",
        ),
        "low coverage": Hostile(
            build_zip(clean_files({"extension/coverage.xml": b'<coverage line-rate="0.42"/>'})),
            "code_quality",
            "Line coverage is 42% in extension/coverage.xml; at least 60% is required",
            "rejected",
        ),
    }
