"""A real Ed25519 ring and AES-GCM cipher (both fast), the service over them, and the public keys
a client would download."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from devforge.adapters.security.aes_gcm_license_file_cipher import AesGcmLicenseFileCipher
from devforge.adapters.security.ed25519_license_signer import Ed25519LicenseSigner
from devforge.application.licensing.offline_files import OfflineLicenses
from devforge.application.licensing.signing import public_keys_document
from devforge.client.license_verifier import load_public_keys
from devforge.domain.licensing.license import License
from tests.unit.licensing.builders import NOW, activated, issued, policy

FINGERPRINT = "machine-fingerprint-1"
DAY = timedelta(days=1)


def offline() -> tuple[OfflineLicenses, Ed25519LicenseSigner]:
    signer = Ed25519LicenseSigner.generate()
    return OfflineLicenses(signer, AesGcmLicenseFileCipher()), signer


def published(signer: Ed25519LicenseSigner) -> dict[str, Ed25519PublicKey]:
    """Through JSON, as a client gets them from the public-keys endpoint."""
    return load_public_keys(json.dumps(public_keys_document(signer.public_keys())))


def active_license(*fingerprints: str) -> License:
    license = issued(policy(floating=True, max_machines=5), entitlements=frozenset({"pro-themes"}))
    return activated(license, *(fingerprints or (FINGERPRINT,)), now=NOW)


def envelope(armored_text: str) -> dict[str, str]:
    lines = armored_text.strip().splitlines()
    loaded: dict[str, str] = json.loads(base64.b64decode("".join(lines[1:-1])))
    return loaded


def rearmored(armored_text: str, envelope_: dict[str, str]) -> str:
    lines = armored_text.strip().splitlines()
    body = base64.b64encode(json.dumps(envelope_).encode()).decode()
    return f"{lines[0]}\n{body}\n{lines[-1]}\n"
