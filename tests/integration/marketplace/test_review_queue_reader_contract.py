"""The reviewers' queue page's reader, on memory, SQLite and PostgreSQL: the waiting versions
(passed, not deleted), oldest upload first, of one namespace or all, at most ``limit``; each with
its publisher's namespace and members, its extension's name and whether it is deleted, and only
its latest round's findings in the order they were recorded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.ports import (
    CheckRecord,
    CheckRecordRepository,
    ExtensionRepository,
    PublisherRepository,
    VersionRepository,
)
from devforge.application.marketplace.review_queue_reader import ReviewQueueReader
from devforge.domain.marketplace.review import CheckOutcome, Finding, Severity
from devforge.domain.marketplace.version import ExtensionVersion, ReviewState
from tests.integration.backends import BACKENDS
from tests.integration.marketplace.test_marketplace_repositories_contract import (
    NOW,
    extension,
    marketplace_backend,
    publisher,
    version,
)
from tests.integration.marketplace.test_review_queue_contract import PASSED, reviewed


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with marketplace_backend(request.param, tmp_path) as built:
        yield built


def record(found: ExtensionVersion, review_round: int, *findings: Finding, minutes: int = 0) -> CheckRecord:
    outcome = CheckOutcome.FAILED if findings else CheckOutcome.PASSED
    at = NOW + timedelta(minutes=minutes)
    return CheckRecord(uuid4(), found.id, review_round, "lint", outcome, True, True, "says", "trace", findings, at)


async def test_waiting_versions_come_with_their_publisher_extension_and_latest_findings(
    container: AsyncContainer,
) -> None:
    member = uuid4()
    acme, zenith = publisher("acme"), publisher("zenith")
    acme.add_member(acme.owner_id, member)
    brackets, lint = extension(acme.id), extension(zenith.id, "zenith-lint")
    resubmitted = reviewed(version(brackets, "1.0.0"), *PASSED, minutes=10)
    resubmitted.review_round = 2
    other = reviewed(version(lint, "0.1.0"), *PASSED, minutes=15)
    late = reviewed(version(brackets, "1.0.1"), *PASSED, minutes=20)
    approved = reviewed(version(brackets, "0.9.0"), *PASSED, ReviewState.APPROVED)
    withdrawn = reviewed(version(brackets, "0.7.0"), *PASSED)
    withdrawn.delete(NOW)
    old = Finding("eval", "eval in round 1", "a.js", 3, Severity.HIGH)
    low, high = Finding("todo", "a TODO", "b.js", 1, Severity.LOW), Finding("net", "fetches", None, None)
    records = [
        record(resubmitted, 1, old),
        record(resubmitted, 2, low, high, minutes=1),
        record(resubmitted, 2, minutes=2),
        record(other, 1, high, minutes=3),
    ]
    async with container() as scope:
        for each in (acme, zenith):
            await (await scope.get(PublisherRepository)).add(each)
        for each_extension in (brackets, lint):
            await (await scope.get(ExtensionRepository)).add(each_extension)
        for each_version in (late, resubmitted, other, approved, withdrawn):
            await (await scope.get(VersionRepository)).add(each_version)
        await (await scope.get(CheckRecordRepository)).add(records)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        reader = await scope.get(ReviewQueueReader)
        waiting = await reader.waiting(limit=1000)
        assert [each.version.version for each in waiting] == ["1.0.0", "0.1.0", "1.0.1"]
        first = waiting[0]
        assert (first.version.id, first.version.review_round, first.version.state) == (
            resubmitted.id,
            2,
            ReviewState.PASSED,
        )
        assert first.version.waiting_since == resubmitted.waiting_since
        assert (first.namespace, first.extension_name, first.extension_deleted) == ("acme", "rainbow-brackets", False)
        assert first.members == frozenset({acme.owner_id, member})
        assert first.findings == (low, high)
        assert (waiting[1].namespace, waiting[1].members, waiting[1].findings) == ("zenith", {zenith.owner_id}, (high,))
        assert waiting[2].findings == ()
        assert [each.version.version for each in await reader.waiting(namespace="acme", limit=1000)] == [
            "1.0.0",
            "1.0.1",
        ]
        assert [each.version.version for each in await reader.waiting(limit=1)] == ["1.0.0"]
        assert await reader.waiting(namespace="nobody", limit=1000) == []


async def test_a_deleted_extensions_waiting_versions_say_so(container: AsyncContainer) -> None:
    acme = publisher("acme")
    brackets = extension(acme.id)
    waiting = reviewed(version(brackets, "1.0.0"), *PASSED)
    brackets.delete(NOW)
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(acme)
        await (await scope.get(ExtensionRepository)).add(brackets)
        await (await scope.get(VersionRepository)).add(waiting)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        found = await (await scope.get(ReviewQueueReader)).waiting(limit=10)
        assert [(each.version.id, each.extension_deleted) for each in found] == [(waiting.id, True)]


async def test_only_passed_versions_not_deleted_wait_oldest_first(container: AsyncContainer) -> None:
    acme, zenith = publisher("acme"), publisher("zenith")
    brackets, lint = extension(acme.id), extension(zenith.id, "zenith-lint")
    late = reviewed(version(brackets, "1.0.1"), *PASSED, minutes=20)
    early = reviewed(version(brackets, "1.0.0"), *PASSED, minutes=10)
    other = reviewed(version(lint, "0.1.0"), *PASSED, minutes=15)
    approved = reviewed(version(brackets, "0.9.0"), *PASSED, ReviewState.APPROVED)
    gone = reviewed(version(brackets, "0.8.0"), *PASSED, ReviewState.APPROVED)
    gone.delete(NOW)
    withdrawn = reviewed(version(brackets, "0.7.0"), *PASSED)
    withdrawn.delete(NOW)
    rejected = reviewed(version(brackets, "0.6.0"), *PASSED, ReviewState.REJECTED)
    uploaded = version(brackets, "2.0.0")
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(acme)
        await (await scope.get(PublisherRepository)).add(zenith)
        await (await scope.get(ExtensionRepository)).add(brackets)
        await (await scope.get(ExtensionRepository)).add(lint)
        versions = await scope.get(VersionRepository)
        for each in (late, early, other, approved, gone, withdrawn, rejected, uploaded):
            await versions.add(each)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        reader = await scope.get(ReviewQueueReader)
        waiting = [each.version for each in await reader.waiting(limit=1000)]
        assert [v.version for v in waiting] == ["1.0.0", "0.1.0", "1.0.1"]
        assert waiting[0].history[-1].to_state is ReviewState.PASSED and waiting[0].waiting_since == early.uploaded_at
        assert [each.version.version for each in await reader.waiting(namespace="acme", limit=1000)] == [
            "1.0.0",
            "1.0.1",
        ]
        assert [each.version.version for each in await reader.waiting(limit=1)] == ["1.0.0"]
        assert await reader.waiting(namespace="nobody", limit=1000) == []
