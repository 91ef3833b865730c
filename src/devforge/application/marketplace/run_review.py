"""The worker runs the review pipeline when a version is uploaded (or its review re-run).

Runs inside the event delivery's transaction: the states it passes through (validating,
scanning), every check's result and the verdict are written together or not at all, so a worker
that dies mid-review leaves the version uploaded and the delivery is retried. A version whose
archive is missing from storage is errored, never passed. When a check crashed (or the archive is
missing), ``marketplace.review_checks_crashed`` is published with the verdict, which notifications
mails to every enabled administrator, and only then does the publisher's message say so. A passed version is approved
at once only when it is safe (``domain/marketplace/approval.py``: no finding of medium severity or
higher, a verified publisher past its probation); otherwise it waits in the reviewers' queue and
its verdict tells the publisher why.
At most ``ReviewSlots.capacity`` reviews run at once in a process; the others wait their turn.
"""

from __future__ import annotations

from uuid import uuid4

from devforge.application.common.clock import Clock
from devforge.application.common.file_storage import FileStorage
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.application.marketplace.artifact_signer import ArtifactSigner
from devforge.application.marketplace.channel_ports import DependencyRepository
from devforge.application.marketplace.ports import (
    CheckRecord,
    CheckRecordRepository,
    ExtensionRepository,
    PublisherRepository,
    ReviewQueue,
    VersionRepository,
)
from devforge.application.marketplace.publication import record_events
from devforge.application.marketplace.published import VersionUploadedV1
from devforge.application.marketplace.review_pipeline import ReviewPipeline, ReviewRun, UploadSlot
from devforge.application.marketplace.review_policy import ReviewPolicy
from devforge.application.marketplace.review_slots import ReviewSlots
from devforge.application.marketplace.reviewing import Named, approve
from devforge.domain.marketplace.approval import Standing, waits_for_a_reviewer
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.review import CheckResult
from devforge.domain.marketplace.review_outcome import state_after
from devforge.domain.marketplace.version import ExtensionVersion, ReviewState

AUTO_APPROVED = (
    "Approved automatically: a verified publisher past its probation, every enforced check passed "
    "and nothing was found that a reviewer must weigh."
)


class WhenVersionUploadedRunReview:
    name = "marketplace.run_review"
    subscribes_to = (VersionUploadedV1,)

    def __init__(
        self,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        versions: VersionRepository,
        records: CheckRecordRepository,
        storage: FileStorage,
        pipeline: ReviewPipeline,
        policy: ReviewPolicy,
        signer: ArtifactSigner,
        outbox: Outbox,
        clock: Clock,
        dependencies: DependencyRepository,
        slots: ReviewSlots,
        queue: ReviewQueue,
    ) -> None:
        self._publishers, self._extensions, self._versions, self._records = publishers, extensions, versions, records
        self._storage, self._pipeline, self._policy, self._outbox, self._clock = (
            storage,
            pipeline,
            policy,
            outbox,
            clock,
        )
        self._signer, self._dependencies, self._slots, self._queue = signer, dependencies, slots, queue

    async def handle(self, event: EventEnvelope) -> None:
        version = await self._versions.get(VersionUploadedV1.decode(event).version_id, for_update=True)
        if version is None or version.state is not ReviewState.UPLOADED:
            return  # reviewed already (a redelivery), or moved on meanwhile
        extension = await self._extensions.get(version.extension_id)
        publisher = await self._publishers.get(version.publisher_id)
        if extension is None or publisher is None:
            return
        version.move(ReviewState.VALIDATING, self._clock.now())
        slot = UploadSlot(publisher.namespace, extension.name, version.version)
        async with self._slots.taken():
            run = await self._review(version.archive_key, slot)
        named = Named(publisher.namespace, extension.name)
        if run is None:
            missing = CheckResult.errored("storage", f"No blob under {version.archive_key!r}.").reported()
            version.report_crashed(
                ("storage",), self._clock.now(), publisher=named.publisher, extension=named.extension
            )
            await self._keep(version, [missing])
            version.decide(ReviewState.ERRORED, self._clock.now(), (missing.publisher_message,))
        else:
            if run.crashed:  # the notice is posted with the verdict, in this transaction: then it is said
                version.report_crashed(
                    run.crashed, self._clock.now(), publisher=named.publisher, extension=named.extension
                )
                run = run.reported()
            version.engine_range = run.engine_range
            version.pre_release = version.pre_release or run.pre_release
            await self._dependencies.replace(version.id, run.dependencies)
            version.move(ReviewState.SCANNING, self._clock.now())
            await self._keep(version, list(run.results))
            state = state_after(run.verdict)
            reasons = tuple(reason.message for reason in run.verdict.blocking_reasons) or ("Every check passed.",)
            waits = await self._waits(publisher, run) if state is ReviewState.PASSED else None
            version.decide(state, self._clock.now(), reasons + ((waits,) if waits else ()))
            if state is ReviewState.PASSED and waits is None:
                approve(version, named, self._signer, self._clock.now(), AUTO_APPROVED, None)
        await self._versions.update(version)
        await record_events(self._outbox, version)

    async def _waits(self, publisher: Publisher, run: ReviewRun) -> str | None:
        """Why the passed version waits for a reviewer; None: it is safe to approve at once."""
        approved = await self._queue.approved_count(publisher.id)
        standing = Standing(publisher.verified, approved, publisher.created_at)
        policy = self._policy
        return waits_for_a_reviewer(
            run.for_a_human,
            standing,
            policy.probation,
            self._clock.now(),
            auto_approve=policy.auto_approve_verified,
        )

    async def _review(self, archive_key: str, slot: UploadSlot) -> ReviewRun | None:
        """The package is read from a file on disk, a file of it at a time; ``None``: no archive."""
        async with self._storage.local_file(archive_key) as archive:
            return None if archive is None else await self._pipeline.run(archive, slot)

    async def _keep(self, version: ExtensionVersion, results: list[CheckResult]) -> None:
        now = self._clock.now()
        await self._records.add(
            [
                CheckRecord(
                    id=uuid4(),
                    version_id=version.id,
                    review_round=version.review_round,
                    check=result.check,
                    outcome=result.outcome,
                    enforced=self._policy.settings_of(result.check).enforced,
                    required=self._policy.settings_of(result.check).required,
                    publisher_message=result.publisher_message,
                    admin_detail=result.admin_detail,
                    findings=result.findings,
                    recorded_at=now,
                )
                for result in results
            ]
        )
