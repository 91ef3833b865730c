"""What the review's use cases share: a version named by its slot, and approval (the registry's
signature over its digest and over a manifest of its identity, so the signature names which
extension and version it is)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.marketplace.artifact_signer import ArtifactIdentity, ArtifactSigner
from devforge.application.marketplace.ports import VersionRepository
from devforge.domain.marketplace.errors import MarketplaceActionRefused, VersionInvalid, VersionNotFound
from devforge.domain.marketplace.semver import Version
from devforge.domain.marketplace.version import ExtensionVersion, ReviewState


@dataclass(frozen=True, slots=True)
class VersionSlot:
    extension_id: UUID
    version: str
    target_platform: str = "universal"


@dataclass(frozen=True, slots=True)
class Named:
    """Who publishes the version and under which extension name: what its manifest states."""

    publisher: str  # namespace
    extension: str  # name


def approve(
    version: ExtensionVersion, named: Named, signer: ArtifactSigner, now: datetime, reason: str, actor: UUID | None
) -> None:
    if version.state is not ReviewState.PASSED:
        raise MarketplaceActionRefused(f"Only a passed version is approved; this one is {version.state.value}.")
    signature = signer.sign_digest(version.sha256)
    version.signature, version.signing_key_id = signature.signature, signature.key_id
    identity = ArtifactIdentity(
        named.publisher, named.extension, version.version, version.target_platform, version.sha256, version.size
    )
    manifest = signer.sign_manifest(identity, now)
    version.manifest, version.manifest_signature = manifest.text, manifest.signature
    version.decide(ReviewState.APPROVED, now, (reason,), actor_id=actor)


async def version_in(versions: VersionRepository, slot: VersionSlot, *, for_update: bool = False) -> ExtensionVersion:
    try:
        number = str(Version.parse(slot.version))
    except VersionInvalid:
        raise VersionNotFound("No such version.", field="version") from None
    found = await versions.find(slot.extension_id, number, slot.target_platform)
    if found is None or found.deleted_at is not None:
        raise VersionNotFound("No such version of this extension.", field="version")
    if not for_update:
        return found
    return await versions.get(found.id, for_update=True) or found
