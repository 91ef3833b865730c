"""The ``ArtifactSigner`` contract on a ring made in memory and on one kept on disk: signatures
verify with the published key alone, under rotation, and nothing else verifies."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from devforge.adapters.security.ed25519_artifact_signer import Ed25519ArtifactSigner
from devforge.application.marketplace.artifact_signer import ArtifactSignature, ArtifactSigningKey

ARTIFACT = b"PK\x03\x04" + os.urandom(4096)


@pytest.fixture(params=["memory", "disk"])
def signer(request: pytest.FixtureRequest, tmp_path: Path) -> Ed25519ArtifactSigner:
    if request.param == "memory":
        return Ed25519ArtifactSigner.generate()
    Ed25519ArtifactSigner.load_or_create(tmp_path / "registry_keys")
    return Ed25519ArtifactSigner.load_or_create(tmp_path / "registry_keys")  # the second start reads the ring


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_as_a_client(signature: ArtifactSignature, keys: list[ArtifactSigningKey], data: bytes) -> None:
    """What an editor does with the public signing-keys document; raises when it does not verify."""
    assert hashlib.sha256(data).hexdigest() == signature.sha256
    key = next(key for key in keys if key.key_id == signature.key_id)
    Ed25519PublicKey.from_public_bytes(b64url(key.public_key)).verify(
        b64url(signature.signature), bytes.fromhex(signature.sha256)
    )


def test_a_signature_verifies_with_the_published_key(signer: Ed25519ArtifactSigner) -> None:
    signature = signer.sign(ARTIFACT)
    keys = signer.public_keys()
    assert (keys[0].key_id, keys[0].algorithm, keys[0].status) == (signature.key_id, "ed25519", "active")
    verify_as_a_client(signature, keys, ARTIFACT)
    assert signer.verify(signature)


def test_signing_a_streamed_digest_equals_signing_the_bytes(signer: Ed25519ArtifactSigner) -> None:
    digest = hashlib.sha256(ARTIFACT).hexdigest()
    assert signer.sign_digest(digest.upper()) == signer.sign(ARTIFACT)  # Ed25519 is deterministic


def test_a_signature_over_other_bytes_does_not_verify(signer: Ed25519ArtifactSigner) -> None:
    signature = signer.sign(ARTIFACT)
    other = ArtifactSignature(hashlib.sha256(b"tampered").hexdigest(), signature.key_id, signature.signature)
    assert not signer.verify(other)
    with pytest.raises(InvalidSignature):
        verify_as_a_client(other, signer.public_keys(), b"tampered")


def test_garbage_signatures_and_unknown_keys_do_not_verify(signer: Ed25519ArtifactSigner) -> None:
    signature = signer.sign(ARTIFACT)
    assert not signer.verify(ArtifactSignature(signature.sha256, "ed25519-0000000000000000", signature.signature))
    assert not signer.verify(ArtifactSignature(signature.sha256, signature.key_id, "not base64!"))
    assert not signer.verify(ArtifactSignature("abc", signature.key_id, signature.signature))


def test_after_rotation_old_artifacts_still_verify_and_new_ones_use_the_new_key(signer: Ed25519ArtifactSigner) -> None:
    old = signer.sign(ARTIFACT)
    new_id = signer.rotate()
    new = signer.sign(ARTIFACT)
    assert new.key_id == new_id != old.key_id
    keys = signer.public_keys()
    assert [(key.key_id, key.status) for key in keys] == [(new_id, "active"), (old.key_id, "retired")]
    verify_as_a_client(old, keys, ARTIFACT)
    verify_as_a_client(new, keys, ARTIFACT)


def test_a_digest_that_is_not_sha256_is_refused(signer: Ed25519ArtifactSigner) -> None:
    with pytest.raises(ValueError, match="64 hex"):
        signer.sign_digest("abc")


def test_the_disk_ring_is_private_and_survives_a_restart(tmp_path: Path) -> None:
    directory = tmp_path / "registry_keys"
    first = Ed25519ArtifactSigner.load_or_create(directory)
    again = Ed25519ArtifactSigner.load_or_create(directory)
    assert first.public_keys() == again.public_keys()
    assert again.verify(first.sign(ARTIFACT))
    assert {stat.S_IMODE(path.stat().st_mode) for path in directory.iterdir()} == {0o600}
    assert "PRIVATE" not in repr(first)
