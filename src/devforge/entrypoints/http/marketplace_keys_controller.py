"""``GET /api/extensions/signing-keys``: the registry's public Ed25519 keys, so editors can check
every artifact they download (its SHA-256 and the registry's signature over it)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Controller, Response, get
from msgspec import Meta

from devforge.application.marketplace.artifact_signer import ArtifactSigningKey
from devforge.application.marketplace.signing_keys import ListSigningKeys
from devforge.entrypoints.http.openapi_docs import problems


class SigningKeyEntry(msgspec.Struct):
    kid: Annotated[str, Meta(examples=["ed25519-3f2a9c1d0b7e4a56"], description="The key id artifacts name")]
    alg: Annotated[str, Meta(examples=["Ed25519"])]
    public_key: Annotated[
        str,
        Meta(
            examples=["11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"],
            description="The raw 32-byte Ed25519 public key, base64url without padding",
        ),
    ]
    status: Annotated[str, Meta(examples=["active"], description="active (signs now) or retired (still verifies)")]


class SigningKeysResponse(msgspec.Struct):
    keys: Annotated[list[SigningKeyEntry], Meta(description="The active key first")]
    signed: Annotated[
        str,
        Meta(
            examples=["ed25519(sha256(artifact))"],
            description="What a signature covers: the artifact's raw 32-byte SHA-256 digest",
        ),
    ] = "ed25519(sha256(artifact))"
    manifest_signed: Annotated[
        str,
        Meta(
            examples=["ed25519(utf8(manifest))"],
            description=(
                "What a manifest signature covers: the exact UTF-8 bytes of the download's `manifest`, which "
                "names the publisher, extension, version, platform, SHA-256, size, signing time and key id"
            ),
        ),
    ] = "ed25519(utf8(manifest))"

    @classmethod
    def of(cls, keys: list[ArtifactSigningKey]) -> SigningKeysResponse:
        return cls([SigningKeyEntry(key.key_id, "Ed25519", key.public_key, key.status) for key in keys])


class MarketplaceSigningKeysController(Controller):
    path = "/api/extensions"
    tags = ["extensions"]

    @get(
        "/signing-keys",
        summary="The registry's artifact signing keys",
        description=(
            "Every published Ed25519 key the registry signs extension packages with: the active one first, "
            "then retired ones whose signatures still verify. A download names `sha256`, `kid` and "
            "`signature` (base64url); verify with the key of that `kid` over the raw SHA-256 digest. A download "
            "approved since signed manifests also names `manifest` and `manifestSignature`: verify the signature "
            "over the manifest's bytes with the key its `kid` names, then that it names the extension and version "
            "asked for and the archive's SHA-256 (devforge.client.artifact_verifier does all of it). Public."
        ),
        responses=problems(429),
    )
    async def signing_keys(self, handler: FromDishka[ListSigningKeys]) -> Response[SigningKeysResponse]:
        return Response(SigningKeysResponse.of(handler()), headers={"Cache-Control": "public, max-age=300"})
