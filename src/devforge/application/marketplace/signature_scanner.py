"""The signature scanner port: rules (YARA) matched over one file's bytes. The review runs it over
every file of a package, nested archives' files included, beside the malware scanner (clamd in
production, the built-in scanner in embedded), in the ``malware`` check; each match is a finding
citing the file and the line. Synchronous and pure (the review's checks run in a thread)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class SignatureMatch:
    rule: str
    description: str
    offset: int  # of the first match in the file's bytes


class SignatureScanner(Protocol):
    name: str

    def matches(self, data: bytes, path: str = "") -> list[SignatureMatch]:
        """``path``: the file's path in the package, which a rule may read (documentation is not code)."""
        ...
