"""``developers.time_to_verdict`` and ``_p90``: from the marketplace's version_uploaded (its first
round) to the version's first final verdict (version_reviewed), median and 90th percentile per
bucket, from the published events as delivered. A developer reads their own publishers'."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore, InMemoryLiveCounters
from devforge.application.analytics.evaluate_metric import EvaluateMetric, MetricLimits
from devforge.application.analytics.when_fact_published_record_it import WhenFactPublishedRecordIt
from devforge.application.marketplace.published import VersionReviewedV1, VersionUploadedV1
from devforge.bootstrap.contexts import CONTEXTS
from devforge.domain.analytics.errors import MetricNotFound
from devforge.domain.analytics.metrics import PUBLISHER_DIMENSION
from devforge.domain.analytics.queries import Filter

from .test_metric_catalogue import AT, DEVELOPER, asking, uncached
from .test_metric_catalogue import OwnersOfOne as OwnersOf

HOUR = timedelta(hours=1)


class Reviews:
    def __init__(self) -> None:
        self.store = InMemoryAnalyticsStore()
        self._consumer = WhenFactPublishedRecordIt(self.store, InMemoryLiveCounters())

    async def version(self, publisher: UUID, submitted: timedelta, *verdicts: tuple[str, timedelta]) -> None:
        version, extension = uuid4(), uuid4()
        for round_, after in enumerate((submitted, submitted + HOUR / 2), start=1):  # a second round: a re-run
            uploaded = VersionUploadedV1(version_id=version, extension_id=extension, review_round=round_)
            await self._consumer.handle(uploaded.envelope(AT + after))
        for state, after in verdicts:
            reviewed = VersionReviewedV1(
                version_id=version, extension_id=extension, publisher_id=publisher, version="1.0.0", state=state,
                reasons=(),
            )  # fmt: skip
            envelope = reviewed.envelope(AT + after)
            await self._consumer.handle(envelope)
            await self._consumer.handle(envelope)  # redelivered: one verdict


async def test_median_and_p90_from_first_submission_to_first_verdict_and_only_the_developers_own() -> None:
    mine, theirs = uuid4(), uuid4()
    reviews = Reviews()
    await reviews.version(mine, -HOUR * 9, ("approved", timedelta()))  # 9 h
    await reviews.version(mine, -HOUR, ("errored", -HOUR / 2), ("rejected", HOUR))  # 2 h: a crash is no verdict
    await reviews.version(mine, -HOUR * 2, ("changes_requested", -HOUR), ("approved", HOUR * 2))  # 1 h, the first
    await reviews.version(mine, -HOUR * 3, ("quarantined", HOUR * 3))  # 6 h
    await reviews.version(theirs, -HOUR * 48, ("approved", HOUR))  # 49 h, not the developer's
    await reviews.version(mine, -HOUR, ("pending_review", timedelta()))  # no verdict yet
    evaluate = EvaluateMetric(CONTEXTS.metric_catalogue(), reviews.store, OwnersOf(mine), MetricLimits(), uncached())

    median = await evaluate(DEVELOPER, asking("developers.time_to_verdict"))
    p90 = await evaluate(DEVELOPER, asking("developers.time_to_verdict_p90"))
    day = AT.replace(hour=0)
    assert [(p.bucket, p.value) for p in median.points] == [(day, 2 * 3600)]  # 1, 2, 6, 9 h: rank 2
    assert [(p.bucket, p.value) for p in p90.points] == [(day, 9 * 3600)]  # rank ceil(3.6) = 4
    assert median.definition.unit == "seconds"

    theirs_asked = (Filter(PUBLISHER_DIMENSION, (str(theirs),)),)
    with pytest.raises(MetricNotFound):
        await evaluate(DEVELOPER, asking("developers.time_to_verdict", filters=theirs_asked))
