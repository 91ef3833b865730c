"""Downloads are limited per caller address, with a limit of their own: past
``DEVFORGE_MARKETPLACE_DOWNLOADS_PER_MINUTE`` in a minute, one address is refused (429 with the
time to wait), signed in or not; another address is not (the window itself is the limiter's
contract's to show)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import UUID, uuid4

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.application.common.actor import Actor
from devforge.application.marketplace.download_extension import DownloadExtension, DownloadRequest, DownloadView
from devforge.domain.shared.errors import TooManyAttempts

from .rating_steps import published_extension
from .world import Market, Outside, marketplace_container


@pytest.fixture
async def limited(clock: ManualClock, outside: Outside) -> AsyncIterator[Market]:
    container = marketplace_container(clock, outside, marketplace_downloads_per_minute=3)
    yield Market(container, outside)
    await container.close()


async def download(market: Market, extension_id: UUID, address: str, user: Actor | None = None) -> DownloadView:
    request = DownloadRequest(extension_id, address, user_id=user.user_id if user else None, address=address)
    return await market.call(DownloadExtension, request)  # type: ignore[no-any-return]


async def test_one_address_is_refused_past_its_downloads_a_minute_with_the_time_to_wait(limited: Market) -> None:
    extension_id = await published_extension(limited)
    for _ in range(3):
        await download(limited, extension_id, "address-a")
    with pytest.raises(TooManyAttempts, match="3 downloads a minute") as refused:
        await download(limited, extension_id, "address-a")
    assert 0 < refused.value.retry_after_seconds <= 60
    with pytest.raises(TooManyAttempts):  # signing in does not make a second address
        await download(limited, extension_id, "address-a", Actor(uuid4()))
    await download(limited, extension_id, "address-b")  # another address has its own window
