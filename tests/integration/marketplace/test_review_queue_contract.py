"""The review queue's contract, on memory, SQLite and PostgreSQL: passed versions that are not
deleted wait (their reader's contract: test_review_queue_reader_contract.py); a publisher's
approved count counts every version ever approved (a deleted one too) and nothing else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.ports import (
    ExtensionRepository,
    PublisherRepository,
    ReviewQueue,
    VersionRepository,
)
from devforge.domain.marketplace.version import ExtensionVersion, ReviewState
from tests.integration.backends import BACKENDS
from tests.integration.marketplace.test_marketplace_repositories_contract import (
    NOW,
    extension,
    marketplace_backend,
    publisher,
    version,
)


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with marketplace_backend(request.param, tmp_path) as built:
        yield built


def reviewed(found: ExtensionVersion, *states: ReviewState, minutes: int = 0) -> ExtensionVersion:
    found.uploaded_at = NOW + timedelta(minutes=minutes)
    for state in states:
        found.move(state, found.uploaded_at)
    return found


PASSED = (ReviewState.VALIDATING, ReviewState.SCANNING, ReviewState.PASSED)


async def test_approved_versions_are_counted(container: AsyncContainer) -> None:
    acme, zenith = publisher("acme"), publisher("zenith")
    brackets, lint = extension(acme.id), extension(zenith.id, "zenith-lint")
    waiting = reviewed(version(brackets, "1.0.0"), *PASSED, minutes=10)
    other = reviewed(version(lint, "0.1.0"), *PASSED, minutes=15)
    approved = reviewed(version(brackets, "0.9.0"), *PASSED, ReviewState.APPROVED)
    gone = reviewed(version(brackets, "0.8.0"), *PASSED, ReviewState.APPROVED)  # deleted once approved: counted
    gone.delete(NOW)
    rejected = reviewed(version(brackets, "0.6.0"), *PASSED, ReviewState.REJECTED)
    uploaded = version(brackets, "2.0.0")
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(acme)
        await (await scope.get(PublisherRepository)).add(zenith)
        await (await scope.get(ExtensionRepository)).add(brackets)
        await (await scope.get(ExtensionRepository)).add(lint)
        versions = await scope.get(VersionRepository)
        for each in (waiting, other, approved, gone, rejected, uploaded):
            await versions.add(each)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        queue = await scope.get(ReviewQueue)
        assert (await queue.approved_count(acme.id), await queue.approved_count(zenith.id)) == (2, 0)
