"""A reviewer's decision on a version waiting in the queue: approve, reject or request changes.

Only a passed version is decided. Approval has the registry sign it (see ``reviewing.approve``);
rejecting and requesting changes need a reason, which the publisher is mailed and sees on the
version's review. A reviewer never decides on a version of a publisher they belong to: somebody
else looks at their own releases. Every decision is kept in the version's history with who and
why, and published as ``marketplace.version_decided`` (the reviewers' audit trail).
"""

from __future__ import annotations

from enum import StrEnum

import structlog

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.artifact_signer import ArtifactSigner
from devforge.application.marketplace.manage_extensions import ExtensionAccess
from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository, VersionRepository
from devforge.application.marketplace.publication import record_events
from devforge.application.marketplace.reviewing import Named, VersionSlot, approve, version_in
from devforge.domain.marketplace.errors import ExtensionInvalid, MarketplaceActionRefused
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.marketplace.version import ExtensionVersion, ReviewState

log = structlog.get_logger(__name__)
MAX_REASON = 2000


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"


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
        if view.publisher is not None and view.publisher.is_member(actor.user_id):
            raise MarketplaceActionRefused("You belong to this publisher: another reviewer decides on its versions.")
        now, reason = self._clock.now(), " ".join(reason.split())
        if len(reason) > MAX_REASON:
            raise ExtensionInvalid(f"Say why in at most {MAX_REASON} characters.", field="reason")
        version = await version_in(self._versions, slot, for_update=True)
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
        log.info("version_decided", version_id=str(version.id), decision=decision.value, reviewer=str(actor.user_id))
        return version
