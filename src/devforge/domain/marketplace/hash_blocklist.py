"""The hash blocklist: no file of a package (nor the package itself) may match a known bad file.

Digests are SHA-256, compared as lower-case hex. Where the list comes from (malware feeds,
earlier takedowns) is the caller's business. Files are hashed as they are read, in chunks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import ClassVar

from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.review import CheckResult, Finding


class HashBlocklistCheck:
    name: ClassVar[str] = "hash_blocklist"

    def __init__(self, blocked_sha256: Iterable[str]) -> None:
        self.blocked = frozenset(digest.strip().lower() for digest in blocked_sha256)

    def run(self, package: ExtensionPackage) -> CheckResult:
        findings: list[Finding] = []
        if package.sha256() in self.blocked:
            findings.append(Finding("blocked_hash", "The package matches a file known to be malicious."))
        for path, chunks in package.chunks():
            digest = hashlib.sha256()
            for chunk in chunks:
                digest.update(chunk)
            if digest.hexdigest() in self.blocked:
                findings.append(Finding("blocked_hash", f"'{path}' matches a file known to be malicious.", path))
        return CheckResult.from_findings(self.name, findings, "No file matches the blocklist.")
