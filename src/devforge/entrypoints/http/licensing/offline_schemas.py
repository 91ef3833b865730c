"""Bodies of the offline licensing routes: public keys and license-file checkout.

The public-keys document keeps snake_case (``public_key``): it is the format the reference
verifier (``devforge.client.license_verifier.load_public_keys``) and the CLI read."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from devforge.application.licensing.signing import PublicSigningKey, public_keys_document
from devforge.entrypoints.http.licensing.schemas import Fingerprint
from devforge.entrypoints.http.schemas import CamelStruct


class PublicKeyEntry(msgspec.Struct):
    kid: Annotated[str, Meta(examples=["ed25519-3f2a9c1d0b7e4a56"], description="The key id documents name")]
    alg: Annotated[str, Meta(examples=["Ed25519"])]
    public_key: Annotated[str, Meta(description="The raw 32-byte Ed25519 public key, base64url without padding")]
    status: Annotated[str, Meta(examples=["active"], description="active (signs now) or retired (still verifies)")]


class PublicKeysResponse(msgspec.Struct):
    keys: Annotated[list[PublicKeyEntry], Meta(description="The active key first")]

    @classmethod
    def of(cls, keys: list[PublicSigningKey]) -> PublicKeysResponse:
        return msgspec.convert(public_keys_document(keys), cls)


class CheckoutRequest(CamelStruct):
    fingerprint: Fingerprint
    ttl_seconds: (
        Annotated[int, Meta(ge=3600, le=366 * 86400, examples=[604800], description="Default 30 days")] | None
    ) = None
    encrypt: Annotated[bool, Meta(description="Seal the file for this key and machine (AES-256-GCM)")] = False
