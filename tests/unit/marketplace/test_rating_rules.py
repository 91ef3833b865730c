"""Who may rate: a user whose email address is verified, who downloaded the extension signed in
at least ``DEVFORGE_MARKETPLACE_RATING_MIN_DOWNLOAD_HOURS`` ago (issue 13: any new, unverified
account that downloaded once could rate at once)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.domain.marketplace.rating import RatingRefused, ensure_may_rate

from .rating_steps import download, published_extension, rate, rater
from .world import Market, Outside, marketplace_container

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
DAY = timedelta(hours=24)


@pytest.fixture
async def patient(clock: ManualClock, outside: Outside) -> AsyncIterator[Market]:
    container = marketplace_container(clock, outside, marketplace_rating_min_download_hours=24)
    yield Market(container, outside)
    await container.close()


async def test_a_download_younger_than_the_minimum_age_does_not_entitle_yet(
    patient: Market, clock: ManualClock
) -> None:
    extension_id, alice = await published_extension(patient), await rater(patient)
    await download(patient, extension_id, alice)
    with pytest.raises(RatingRefused, match="try again in about 24 hour"):
        await rate(patient, alice, extension_id, 5)
    clock.advance(timedelta(hours=23))
    await download(patient, extension_id, alice)  # another download does not restart the wait...
    with pytest.raises(RatingRefused, match="about 1 hour"):
        await rate(patient, alice, extension_id, 5)
    clock.advance(timedelta(hours=1))  # ...the first one's age counts
    assert (await rate(patient, alice, extension_id, 5)).rating.stars == 5


async def test_an_unverified_address_may_not_rate(patient: Market, clock: ManualClock) -> None:
    extension_id, mallory = await published_extension(patient), await rater(patient, verified=False)
    await download(patient, extension_id, mallory)
    clock.advance(DAY * 2)
    with pytest.raises(RatingRefused, match="Verify your email"):
        await rate(patient, mallory, extension_id, 1)
    patient.outside.accounts.verified.add(mallory.user_id)
    assert (await rate(patient, mallory, extension_id, 1)).rating.stars == 1


@pytest.mark.parametrize(
    ("downloaded_at", "verified", "member", "refused"),
    [
        (None, True, False, "download it first"),
        (NOW - DAY, False, False, "Verify your email"),
        (NOW - DAY + timedelta(seconds=1), True, False, "about 1 hour"),
        (NOW - DAY * 30, True, True, "Members of the publisher"),
        (NOW - DAY, True, False, None),
        (NOW, True, False, None),  # with no minimum age (below)
    ],
)
def test_the_rating_rule(downloaded_at: datetime | None, verified: bool, member: bool, refused: str | None) -> None:
    minimum = timedelta(0) if downloaded_at == NOW else DAY
    values = {"downloaded_at": downloaded_at, "publisher_member": member, "email_verified": verified}
    if refused is None:
        ensure_may_rate(now=NOW, min_download_age=minimum, **values)  # type: ignore[arg-type]
    else:
        with pytest.raises(RatingRefused, match=refused):
            ensure_may_rate(now=NOW, min_download_age=minimum, **values)  # type: ignore[arg-type]
