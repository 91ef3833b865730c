"""The reference verifier for Dev Forge extension downloads: check offline, with the registry's
public signing keys alone (``GET /api/extensions/signing-keys``), that an artifact is the one the
registry approved for the extension and version you asked for.

Standalone on purpose: the standard library and ``cryptography``, nothing from devforge, so it
can be copied into an editor. Each check raises ``ArtifactInvalid`` with a short reason.

    keys = load_signing_keys(requests.get(".../api/extensions/signing-keys").text)
    info = download_response  # GET /api/extensions/{id}/download
    manifest = verify_artifact(archive_bytes, manifest=info["manifest"],
                               signature=info["manifestSignature"], public_keys=keys,
                               publisher="acme", extension="brackets", version=info["version"])

The manifest (canonical JSON: ``format``, ``publisher``, ``extension``, ``version``,
``target_platform``, ``sha256``, ``size``, ``signed_at``, ``kid``) is signed by the key ``kid``
names, over its exact UTF-8 bytes; a manifest taken from another extension or version does not
match what you asked for, and an edited one does not verify. Versions approved before signed
manifests existed carry the digest signature alone: ``verify_artifact_digest``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from devforge.client.license_verifier import load_public_keys

MANIFEST_FORMAT = "devforge-artifact-manifest/v1"
_FIELDS = ("format", "publisher", "extension", "version", "target_platform", "sha256", "size", "signed_at", "kid")
PublicKeys = Mapping[str, Ed25519PublicKey]


class ArtifactInvalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def load_signing_keys(document: str | Mapping[str, Any]) -> dict[str, Ed25519PublicKey]:
    """The signing-keys document as served (``{"keys": [{"kid", "public_key"}]}``) or ``{kid: key}``:
    the same format as licensing's public keys, read by the same reader. Retired keys are kept:
    their signatures still hold."""
    return load_public_keys(document)


def verify_artifact(
    artifact: bytes,
    *,
    manifest: str,
    signature: str,
    public_keys: PublicKeys,
    publisher: str,
    extension: str,
    version: str,
    target_platform: str | None = None,
) -> dict[str, Any]:
    """The manifest's fields, once its signature checks out, it names the publisher, extension and
    version (and platform, when given) you asked for, and the artifact's bytes are the ones it
    names. Names compare case-insensitively (the registry's own rule); versions exactly."""
    fields = _manifest(manifest)
    _verify(public_keys, fields["kid"], manifest.encode("utf-8"), signature)
    asked = {"publisher": publisher.lower(), "extension": extension.lower(), "version": version}
    stated = {"publisher": fields["publisher"].lower(), "extension": fields["extension"].lower()}
    stated["version"] = fields["version"]
    for name, wanted in asked.items():
        if stated[name] != wanted:
            raise ArtifactInvalid(f"signed for another {name} ({fields[name]!r}, not {wanted!r})")
    if target_platform is not None and fields["target_platform"] != target_platform:
        raise ArtifactInvalid(f"signed for another target platform ({fields['target_platform']!r})")
    if len(artifact) != fields["size"] or hashlib.sha256(artifact).hexdigest() != fields["sha256"]:
        raise ArtifactInvalid("the artifact is not the one signed (its SHA-256 differs)")
    return fields


def verify_artifact_digest(artifact: bytes, *, signature: str, key_id: str, public_keys: PublicKeys) -> str:
    """The older check, still served for every approved version: the registry's signature over the
    artifact's raw SHA-256 digest. It says the registry approved these bytes, not for which
    extension or version; prefer ``verify_artifact`` when the download carries a manifest."""
    digest = hashlib.sha256(artifact).digest()
    _verify(public_keys, key_id, digest, signature)
    return digest.hex()


def _manifest(text: str) -> dict[str, Any]:
    try:
        fields = json.loads(text)
    except ValueError as error:
        raise ArtifactInvalid("not a signed manifest (not JSON)") from error
    if not isinstance(fields, dict) or any(name not in fields for name in _FIELDS):
        raise ArtifactInvalid("not a signed manifest (fields missing)")
    if fields["format"] != MANIFEST_FORMAT:
        raise ArtifactInvalid(f"unknown manifest format {fields['format']!r}")
    text_fields = [name for name in _FIELDS if name != "size"]
    if any(not isinstance(fields[name], str) for name in text_fields) or not isinstance(fields["size"], int):
        raise ArtifactInvalid("not a signed manifest (bad field types)")
    return fields


def _verify(public_keys: PublicKeys, key_id: str, message: bytes, signature: str) -> None:
    key = public_keys.get(key_id)
    if key is None:
        raise ArtifactInvalid(f"signed by a key the registry does not publish ({key_id})")
    try:
        key.verify(_unb64(signature), message)
    except (InvalidSignature, ValueError) as error:
        raise ArtifactInvalid("bad signature (the manifest or artifact was altered)") from error


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise ArtifactInvalid("bad signature (damaged base64)") from error
