"""The signature scanner's memory twin: named byte strings searched for as they are."""

from __future__ import annotations

from collections.abc import Mapping

from devforge.application.marketplace.signature_scanner import SignatureMatch

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class InMemorySignatureScanner:
    name = "memory"

    def __init__(self, signatures: Mapping[str, bytes] | None = None) -> None:
        self._signatures = dict(signatures if signatures is not None else {"EICAR_test_file": EICAR})

    def matches(self, data: bytes, path: str = "") -> list[SignatureMatch]:
        found = ((rule, data.find(needle)) for rule, needle in self._signatures.items())
        return [SignatureMatch(rule, rule, offset) for rule, offset in found if offset >= 0]
