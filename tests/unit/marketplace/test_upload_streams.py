"""A process reads a bounded number of package bodies at once (application/marketplace/upload_streams.py):
the next upload's first byte is read only when a slot is free, and a slot comes back however an
upload ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from uuid import UUID

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.application.marketplace.upload_streams import UploadStreams
from devforge.application.marketplace.upload_version import UploadVersion, UploadVersionHandler
from devforge.domain.marketplace.errors import PackageTooLarge

from .corpus import clean_package
from .world import Market, Outside, marketplace_container


class HeldBody:
    """A body whose client sends its first chunk, then waits to be told to send the rest."""

    def __init__(self, data: bytes) -> None:
        self._data, self.read_from = data, asyncio.Event()
        self.rest = asyncio.Event()

    async def chunks(self) -> AsyncIterator[bytes]:
        self.read_from.set()
        yield self._data[:1024]
        await self.rest.wait()
        yield self._data[1024:]


async def test_the_third_body_is_read_only_when_one_of_two_slots_is_free(clock: ManualClock, outside: Outside) -> None:
    container = marketplace_container(clock, outside, marketplace_upload_streams=2)
    market = Market(container, outside)
    try:
        extension_id = await market.extension(await market.publisher())
        bodies = [HeldBody(clean_package()) for _ in range(3)]

        async def upload(body: HeldBody, version: str) -> UUID:
            command = UploadVersion(extension_id, version, "universal", body.chunks())
            return (await market.call(UploadVersionHandler, market.developer, command)).version_id  # type: ignore[no-any-return]

        uploads = [asyncio.ensure_future(upload(body, f"1.0.{n}")) for n, body in enumerate(bodies)]
        for _ in range(50):
            await asyncio.sleep(0)
        assert [body.read_from.is_set() for body in bodies] == [True, True, False]

        bodies[1].rest.set()
        await uploads[1]
        await asyncio.wait_for(bodies[2].read_from.wait(), timeout=5)
        bodies[0].rest.set()
        bodies[2].rest.set()
        ids = await asyncio.gather(*uploads)
        assert len(set(ids)) == 3
    finally:
        await container.close()


async def test_a_refused_upload_gives_its_slot_back(clock: ManualClock, outside: Outside) -> None:
    container = marketplace_container(clock, outside, marketplace_upload_streams=1, max_package_bytes=2048)
    market = Market(container, outside)
    try:
        extension_id = await market.extension(await market.publisher())
        too_big = HeldBody(b"x" * 4096)
        too_big.rest.set()
        with pytest.raises(PackageTooLarge):
            await market.call(
                UploadVersionHandler,
                market.developer,
                UploadVersion(extension_id, "1.0.0", "universal", too_big.chunks()),
            )
        async with container() as scope:
            streams = await scope.get(UploadStreams)
        assert streams.streaming == 0
        small = HeldBody(b"y" * 1500)
        small.rest.set()
        stored = await market.call(  # the one slot is free again: read and stored
            UploadVersionHandler, market.developer, UploadVersion(extension_id, "1.0.1", "universal", small.chunks())
        )
        assert stored.size == 1500
    finally:
        await container.close()


def test_a_bound_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        UploadStreams(0)
