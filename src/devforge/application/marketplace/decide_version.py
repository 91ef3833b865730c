"""A reviewer's decisions on a version, and a re-run of its review.

Only a passed version is approved (and then signed by the registry: its digest, and a manifest of
its identity, so the signature names which extension and version it is); rejecting and requesting
changes need a reason, which the publisher is mailed. The publisher (or a reviewer) may re-run
the review of a version that is not approved; the worker picks it up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.artifact_signer import ArtifactIdentity, ArtifactSigner
from devforge.application.marketplace.manage_extensions import ExtensionAccess
from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository, VersionRepository
from devforge.application.marketplace.publication import record_events
from devforge.domain.marketplace.errors import (
    ExtensionInvalid,
    MarketplaceActionRefused,
    VersionInvalid,
    VersionNotFound,
)
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.marketplace.semver import Version
from devforge.domain.marketplace.version import ExtensionVersion, ReviewState


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"


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


class DecideVersionHandler:
    """Administrators only (the shell's guard); the caller must be one here as well."""

    def __init__(
        self,
        uow: UnitOfWork,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        versions: VersionRepository,
        signer: ArtifactSigner,
        outbox: Outbox,
        clock: Clock,
    ) -> None:
        self._uow, self._versions, self._signer, self._outbox, self._clock = uow, versions, signer, outbox, clock
        self._access = ExtensionAccess(publishers, extensions)

    async def __call__(self, actor: Actor, slot: VersionSlot, decision: Decision, reason: str = "") -> ExtensionVersion:
        if not actor.may(MarketplacePermission.EXTENSIONS_REVIEW):
            raise MarketplaceActionRefused("Only marketplace reviewers decide on versions.")
        view = await self._access.managed(actor, slot.extension_id)  # the extension is there and not deleted
        version = await version_in(self._versions, slot, for_update=True)
        now, reason = self._clock.now(), " ".join(reason.split())
        if decision is Decision.APPROVE:
            named = Named(view.namespace, view.extension.name)
            approve(version, named, self._signer, now, reason or "Approved by a reviewer.", actor.user_id)
        else:
            if not reason:
                raise ExtensionInvalid("Give the publisher a reason.", field="reason")
            if version.state is not ReviewState.PASSED:
                raise MarketplaceActionRefused(f"This version is {version.state.value}; there is nothing to decide.")
            to = ReviewState.REJECTED if decision is Decision.REJECT else ReviewState.CHANGES_REQUESTED
            version.decide(to, now, (reason,), actor_id=actor.user_id)
        await self._versions.update(version)
        await record_events(self._outbox, version)
        await self._uow.commit()
        return version


class RequestReviewHandler:
    def __init__(
        self,
        uow: UnitOfWork,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        versions: VersionRepository,
        outbox: Outbox,
        clock: Clock,
    ) -> None:
        self._uow, self._versions, self._outbox, self._clock = uow, versions, outbox, clock
        self._access = ExtensionAccess(publishers, extensions)

    async def __call__(self, actor: Actor, slot: VersionSlot) -> ExtensionVersion:
        await self._access.managed(actor, slot.extension_id)
        version = await version_in(self._versions, slot, for_update=True)
        version.request_review(self._clock.now(), actor.user_id)
        await self._versions.update(version)
        await record_events(self._outbox, version)
        await self._uow.commit()
        return version
