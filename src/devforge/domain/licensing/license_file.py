"""License files: a license checked out to one machine, for use offline until its TTL runs out.

A file names the license (id, product, status, expiry, what an expired license may still do,
entitlements), the machine fingerprint it was checked out for, when it was issued, its time to
live and the signing key's id. Rules:
- only an ACTIVE license gets a new file: a suspended or revoked one stops receiving them, and
  the files already out stop verifying when the client next checks the signed revocation list,
  which names suspended licenses as well as revoked ones;
- a file never outlives its license: when the policy refuses an expired license
  (RESTRICT_ACCESS, REVOKE_ACCESS), the TTL is cut to end at the license's expiry and an expired
  license gets no file; the verifier also refuses any file past the expiry it names (so an old
  file of a renewed license needs a fresh checkout). MAINTAIN_ACCESS and ALLOW_ACCESS licenses
  still validate once expired, so their files run their full TTL;
- the fingerprint must be an active machine of the license, so files never outnumber seats;
- the TTL asked for is between one hour and one year.

On the wire the file is an armored envelope ``{"alg", "enc", "kid", "sig"}``: ``enc`` is the
base64url canonical JSON (``alg`` ``ed25519``) or its AES-256-GCM encryption (``alg``
``aes-256-gcm+ed25519``), and ``sig`` signs ``license/<alg>/<enc>``, so a file is checked
before it is decrypted.
"""

from __future__ import annotations

import base64
import textwrap
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from devforge.domain.licensing import errors
from devforge.domain.licensing.license import License, LicenseStatus
from devforge.domain.licensing.policy import ExpirationStrategy
from devforge.domain.licensing.signed_format import FORMAT_VERSION, b64url, canonical_json, utc_text

MIN_TTL = timedelta(hours=1)
MAX_TTL = timedelta(days=366)
DEFAULT_TTL = timedelta(days=30)
PLAIN = "ed25519"
ENCRYPTED = "aes-256-gcm+ed25519"


@dataclass(frozen=True, kw_only=True)
class LicenseFile:
    license_id: UUID
    product_id: UUID
    status: LicenseStatus
    license_expires_at: datetime | None
    expiration_strategy: ExpirationStrategy
    entitlements: frozenset[str]
    fingerprint: str
    issued_at: datetime
    ttl: timedelta
    key_id: str

    @classmethod
    def check_out(
        cls, license: License, *, fingerprint: str, now: datetime, ttl: timedelta, key_id: str
    ) -> LicenseFile:
        if license.status is LicenseStatus.REVOKED:
            raise errors.LicenseRevoked("A revoked license gets no new license file.")
        if license.status is LicenseStatus.SUSPENDED:
            raise errors.LicenseSuspended("A suspended license gets no new license file.")
        if not MIN_TTL <= ttl <= MAX_TTL:
            raise errors.LicenseFileTtlInvalid("A license file lives between one hour and one year.", field="ttl")
        machine = license.machine_for(fingerprint.strip())
        if machine is None:
            raise errors.MachineNotFound("Activate this machine before checking out a license file.")
        issued_at = now.replace(microsecond=0)
        return cls(
            license_id=license.id,
            product_id=license.product_id,
            status=license.status,
            license_expires_at=license.expires_at,
            expiration_strategy=license.policy.expiration_strategy,
            entitlements=license.terms.entitlements,
            fingerprint=machine.fingerprint,
            issued_at=issued_at,
            ttl=_ttl_within_term(license, issued_at, ttl),
            key_id=key_id,
        )

    @property
    def expires_at(self) -> datetime:
        return self.issued_at + self.ttl

    def to_json(self) -> bytes:
        expiry = self.license_expires_at
        return canonical_json(
            {
                "v": FORMAT_VERSION,
                "license": {
                    "id": str(self.license_id),
                    "product_id": str(self.product_id),
                    "status": self.status.value,
                    "expires_at": utc_text(expiry) if expiry else None,
                    "expiration_strategy": self.expiration_strategy.value,
                    "entitlements": sorted(self.entitlements),
                },
                "machine": {"fingerprint": self.fingerprint},
                "issued_at": utc_text(self.issued_at),
                "expires_at": utc_text(self.expires_at),
                "ttl": int(self.ttl.total_seconds()),
                "kid": self.key_id,
            }
        )


def _ttl_within_term(license: License, issued_at: datetime, asked: timedelta) -> timedelta:
    """Whole seconds, and never past the expiry of a license that stops validating at it."""
    ttl = timedelta(seconds=int(asked.total_seconds()))
    expiry = license.expires_at
    if expiry is None or license.policy.expiration_strategy.validates_when_expired:
        return ttl
    remaining = timedelta(seconds=int((expiry - issued_at).total_seconds()))
    if remaining <= timedelta(0):
        raise errors.LicenseExpired("An expired license gets no new license file.")
    return min(ttl, remaining)


def signing_input(label: str, alg: str, enc: str) -> bytes:
    """What an envelope's signature covers; the label keeps a file's signature off other documents."""
    return f"{label}/{alg}/{enc}".encode("ascii")


def armored(title: str, *, alg: str, enc: bytes, key_id: str, signature: bytes) -> str:
    envelope = canonical_json({"alg": alg, "enc": b64url(enc), "kid": key_id, "sig": b64url(signature)})
    body = "\n".join(textwrap.wrap(base64.b64encode(envelope).decode("ascii"), 64))
    return f"-----BEGIN {title}-----\n{body}\n-----END {title}-----\n"
