"""Reviews under the concurrency bound: with room for two, five uploads at once are reviewed two
at a time; the other three wait their turn and are then reviewed like any other."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.malware_scanner import ScanResult
from devforge.application.marketplace.review_slots import ReviewSlots
from devforge.application.marketplace.run_review import WhenVersionUploadedRunReview
from devforge.domain.marketplace.version import ReviewState

from .corpus import clean_package
from .fakes import FakeMalwareScanner
from .world import Market, Outside, marketplace_container

UPLOADS, CAPACITY = 5, 2


class GatedScanner(FakeMalwareScanner):
    """Holds every scan until the gate opens, and counts the scans in progress."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.in_progress = self.most_at_once = 0

    async def scan(self, data: bytes | AsyncIterable[bytes]) -> ScanResult:
        self.in_progress += 1
        self.most_at_once = max(self.most_at_once, self.in_progress)
        try:
            await self.gate.wait()
            return await super().scan(data)
        finally:
            self.in_progress -= 1


async def turns_until(condition: object, turns: int = 10_000) -> bool:
    """Lets the event loop run (and the review threads finish their work) until ``condition()``."""
    for _ in range(turns):
        if condition():  # type: ignore[operator]
            return True
        await asyncio.sleep(0.001)
    return False


async def test_at_most_the_capacity_of_reviews_run_at_once_and_the_rest_wait_then_finish(clock: ManualClock) -> None:
    scanner = GatedScanner()
    container = marketplace_container(clock, Outside(scanner=scanner), marketplace_review_concurrency=CAPACITY)
    market = Market(container, Outside(scanner=scanner))
    try:
        extension_id = await market.extension(await market.publisher())
        for n in range(UPLOADS):
            await market.upload(extension_id, clean_package(version=f"1.2.{n}"), version=f"1.2.{n}")
        slots = await container.get(ReviewSlots)
        events = await market.events("marketplace.version_uploaded")

        reviews = [asyncio.create_task(review(market, event)) for event in events]
        assert await turns_until(lambda: slots.running == CAPACITY and slots.waiting == UPLOADS - CAPACITY)
        assert await turns_until(lambda: scanner.in_progress == CAPACITY)
        assert not any(task.done() for task in reviews)

        scanner.gate.set()
        await asyncio.gather(*reviews)
        assert scanner.most_at_once == CAPACITY and scanner.scanned == UPLOADS
        assert (slots.running, slots.waiting) == (0, 0)
        for n in range(UPLOADS):
            assert (await market.review(extension_id, f"1.2.{n}")).version.state is ReviewState.PASSED
    finally:
        await container.close()


async def review(market: Market, event: EventEnvelope) -> None:
    async with market.container() as scope:
        await (await scope.get(WhenVersionUploadedRunReview)).handle(event)
        await (await scope.get(UnitOfWork)).commit()


def test_a_capacity_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="At least one"):
        ReviewSlots(0)
