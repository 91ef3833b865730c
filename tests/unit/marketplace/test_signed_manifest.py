"""The signature over an artifact's identity: the registry signs a manifest naming publisher,
extension, version, platform, digest, size and signing time, and the client's offline verifier
(``devforge.client.artifact_verifier``, the public keys alone) accepts the genuine artifact and
refuses one whose manifest was moved to another extension or version, or edited."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime

import pytest

from devforge.adapters.security.ed25519_artifact_signer import Ed25519ArtifactSigner
from devforge.application.marketplace.artifact_signer import ArtifactIdentity, SignedManifest
from devforge.client.artifact_verifier import (
    ArtifactInvalid,
    load_signing_keys,
    verify_artifact,
    verify_artifact_digest,
)

ARTIFACT = b"PK\x03\x04" + os.urandom(2048)
OTHER = b"PK\x03\x04" + os.urandom(2048)
SIGNED_AT = datetime(2026, 12, 7, 1, 2, 3, 456789, tzinfo=UTC)


def identity(artifact: bytes = ARTIFACT, *, extension: str = "brackets", version: str = "1.3.0") -> ArtifactIdentity:
    return ArtifactIdentity(
        "acme", extension, version, "universal", hashlib.sha256(artifact).hexdigest(), len(artifact)
    )


def published(signer: Ed25519ArtifactSigner) -> str:
    """The signing-keys document as GET /api/extensions/signing-keys serves it."""
    return json.dumps({"keys": [{"kid": k.key_id, "public_key": k.public_key} for k in signer.public_keys()]})


def check(
    signed: SignedManifest,
    signer: Ed25519ArtifactSigner,
    artifact: bytes = ARTIFACT,
    *,
    extension: str = "brackets",
    version: str = "1.3.0",
    publisher: str = "acme",
) -> dict[str, object]:
    return verify_artifact(
        artifact,
        manifest=signed.text,
        signature=signed.signature,
        public_keys=load_signing_keys(published(signer)),
        publisher=publisher,
        extension=extension,
        version=version,
        target_platform="universal",
    )


@pytest.fixture
def signer() -> Ed25519ArtifactSigner:
    return Ed25519ArtifactSigner.generate()


def test_the_genuine_artifact_verifies_offline_and_its_manifest_names_what_it_is(
    signer: Ed25519ArtifactSigner,
) -> None:
    signed = signer.sign_manifest(identity(), SIGNED_AT)
    fields = check(signed, signer)
    assert fields == {
        "format": "devforge-artifact-manifest/v1",
        "publisher": "acme",
        "extension": "brackets",
        "version": "1.3.0",
        "target_platform": "universal",
        "sha256": hashlib.sha256(ARTIFACT).hexdigest(),
        "size": len(ARTIFACT),
        "signed_at": "2026-12-07T01:02:03Z",
        "kid": signer.public_keys()[0].key_id,
    }
    assert signed.key_id == fields["kid"]


@pytest.mark.parametrize(
    ("asked", "reason"),
    [
        ({"extension": "brackets-pro"}, "another extension"),
        ({"version": "1.3.1"}, "another version"),
        ({"publisher": "evil"}, "another publisher"),
    ],
)
def test_a_manifest_moved_to_another_extension_version_or_publisher_is_refused(
    signer: Ed25519ArtifactSigner, asked: dict[str, str], reason: str
) -> None:
    """The genuine manifest and signature, served for something else than they were signed for."""
    signed = signer.sign_manifest(identity(), SIGNED_AT)
    with pytest.raises(ArtifactInvalid, match=reason):
        check(signed, signer, **asked)


@pytest.mark.parametrize(("field", "value"), [("extension", "brackets-pro"), ("version", "2.0.0")])
def test_a_manifest_edited_to_name_another_extension_or_version_does_not_verify(
    signer: Ed25519ArtifactSigner, field: str, value: str
) -> None:
    signed = signer.sign_manifest(identity(), SIGNED_AT)
    fields = json.loads(signed.text) | {field: value}
    moved = SignedManifest(json.dumps(fields, sort_keys=True, separators=(",", ":")), signed.key_id, signed.signature)
    with pytest.raises(ArtifactInvalid, match="bad signature"):
        check(moved, signer, **{field: value})


def test_another_artifact_under_a_genuine_manifest_is_refused(signer: Ed25519ArtifactSigner) -> None:
    signed = signer.sign_manifest(identity(), SIGNED_AT)
    with pytest.raises(ArtifactInvalid, match="SHA-256 differs"):
        check(signed, signer, OTHER)


def test_a_manifest_signed_by_an_unpublished_key_is_refused(signer: Ed25519ArtifactSigner) -> None:
    forged = Ed25519ArtifactSigner.generate().sign_manifest(identity(), SIGNED_AT)
    with pytest.raises(ArtifactInvalid, match="does not publish"):
        check(forged, signer)


def test_garbage_is_refused_with_a_reason(signer: Ed25519ArtifactSigner) -> None:
    signed = signer.sign_manifest(identity(), SIGNED_AT)
    for text, reason in [("not json", "not JSON"), ('{"format":"x"}', "fields missing")]:
        with pytest.raises(ArtifactInvalid, match=reason):
            check(SignedManifest(text, signed.key_id, signed.signature), signer)
    with pytest.raises(ArtifactInvalid, match="bad signature"):
        check(SignedManifest(signed.text, signed.key_id, "AAAA"), signer)


def test_after_a_rotation_the_old_manifest_still_verifies_and_new_ones_use_the_new_key(
    signer: Ed25519ArtifactSigner,
) -> None:
    old = signer.sign_manifest(identity(), SIGNED_AT)
    new_id = signer.rotate()
    new = signer.sign_manifest(identity(OTHER, version="1.4.0"), SIGNED_AT)
    assert new.key_id == new_id != old.key_id
    check(old, signer)
    check(new, signer, OTHER, version="1.4.0")


def test_the_digest_signature_of_older_downloads_still_verifies_offline(signer: Ed25519ArtifactSigner) -> None:
    """Versions approved before manifests carry the digest signature alone: the published contract."""
    signature = signer.sign(ARTIFACT)
    keys = load_signing_keys(published(signer))
    assert verify_artifact_digest(ARTIFACT, signature=signature.signature, key_id=signature.key_id, public_keys=keys)
    with pytest.raises(ArtifactInvalid, match="bad signature"):
        verify_artifact_digest(OTHER, signature=signature.signature, key_id=signature.key_id, public_keys=keys)
