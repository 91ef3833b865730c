"""Who sees a version's review (read outside any unit of work): the publisher's members and the
reviewers; anyone else, an unknown or deleted version and, for members, a deleted extension
answer 404."""

from __future__ import annotations

from uuid import uuid4

import pytest

from devforge.application.common.actor import Actor
from devforge.application.marketplace.manage_extensions import DeleteExtensionHandler
from devforge.domain.marketplace.errors import ExtensionNotFound, VersionNotFound

from .corpus import clean_package
from .world import Market


async def test_members_and_reviewers_see_a_review_and_nobody_else(market: Market) -> None:
    extension_id = await market.extension(await market.publisher())
    await market.upload(extension_id, clean_package())
    assert await market.run_reviews() == 1
    assert (await market.review(extension_id)).version.version == "1.2.0"
    assert (await market.review(extension_id, caller=market.reviewer)).version.version == "1.2.0"
    with pytest.raises(ExtensionNotFound):
        await market.review(extension_id, caller=Actor(uuid4()))
    with pytest.raises(ExtensionNotFound):
        await market.review(uuid4())
    for missing in ("1.3.0", "not-a-version"):
        with pytest.raises(VersionNotFound):
            await market.review(extension_id, missing)


async def test_a_deleted_extension_is_not_found_by_members_and_its_deleted_versions_by_nobody(
    market: Market,
) -> None:
    extension_id = await market.extension(await market.publisher())
    await market.upload(extension_id, clean_package())
    assert await market.run_reviews() == 1
    await market.call(DeleteExtensionHandler, market.developer, extension_id)
    with pytest.raises(ExtensionNotFound):
        await market.review(extension_id)
    with pytest.raises(VersionNotFound):  # a reviewer finds the extension, its versions went with it
        await market.review(extension_id, caller=market.reviewer)
