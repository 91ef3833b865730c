"""Hand-written fakes of the marketplace's outside world: DNS, the malware scanner, the signer and
identity's accounts."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterable
from datetime import datetime
from uuid import UUID

from devforge.application.marketplace.artifact_signer import (
    ArtifactIdentity,
    ArtifactSignature,
    ArtifactSigningKey,
    SignedManifest,
    manifest_text,
)
from devforge.application.marketplace.dns_resolver import DnsLookupFailed
from devforge.application.marketplace.malware_scanner import ScanResult

EICAR_MARK = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


class FakeAccountDirectory:
    """The addresses of the accounts the test knows; ``None`` for any other."""

    def __init__(self) -> None:
        self.addresses: dict[UUID, str] = {}
        self.verified: set[UUID] = set()  # accounts whose owner proved the address

    async def address(self, user_id: UUID) -> str | None:
        return self.addresses.get(user_id)

    async def email_verified(self, user_id: UUID) -> bool:
        return user_id in self.verified


class FakeDnsTxtResolver:
    def __init__(self) -> None:
        self.records: dict[str, list[str]] = {}
        self.failing: set[str] = set()

    async def txt_records(self, name: str) -> list[str]:
        if name in self.failing:
            raise DnsLookupFailed(name, "timeout")
        return list(self.records.get(name, []))


class FakeMalwareScanner:
    """Finds the EICAR mark; ``broken`` makes it answer ERROR, ``crashing`` makes it raise."""

    name = "fake-scanner"

    def __init__(self) -> None:
        self.broken = self.crashing = False
        self.scanned = 0

    async def scan(self, data: bytes | AsyncIterable[bytes]) -> ScanResult:
        if self.crashing:
            raise ConnectionError("clamd at 10.0.0.5:3310 refused the connection")
        if self.broken:
            return ScanResult.error(self.name, "clamd answered garbage")
        if not isinstance(data, bytes):
            data = b"".join([chunk async for chunk in data])
        self.scanned += 1
        return (
            ScanResult.infected(self.name, "Eicar-Test-Signature")
            if EICAR_MARK in data
            else ScanResult.clean(self.name)
        )

    async def ping(self) -> bool:
        return not self.broken


class FakeArtifactSigner:
    """Signs with a keyed hash: enough to see that the registry signed a digest."""

    key_id = "fake-1"

    def sign(self, data: bytes) -> ArtifactSignature:
        return self.sign_digest(hashlib.sha256(data).hexdigest())

    def sign_digest(self, sha256: str) -> ArtifactSignature:
        mac = hashlib.sha256(b"registry:" + sha256.encode()).digest()
        return ArtifactSignature(sha256, self.key_id, base64.b64encode(mac).decode())

    def sign_manifest(self, identity: ArtifactIdentity, signed_at: datetime) -> SignedManifest:
        text = manifest_text(identity, signed_at=signed_at, key_id=self.key_id)
        mac = hashlib.sha256(b"registry:" + text.encode()).digest()
        return SignedManifest(text, self.key_id, base64.b64encode(mac).decode())

    def verify(self, signature: ArtifactSignature) -> bool:
        return self.sign_digest(signature.sha256).signature == signature.signature

    def public_keys(self) -> list[ArtifactSigningKey]:
        return [ArtifactSigningKey(self.key_id, "fake", "", "active")]
