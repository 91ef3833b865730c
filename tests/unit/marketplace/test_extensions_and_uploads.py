"""Extensions and uploads: squat-checked names, members only, soft deletion, and version slots
that are never reused."""

from __future__ import annotations

from uuid import uuid4

import pytest

from devforge.application.common.actor import Actor
from devforge.application.marketplace.manage_extensions import (
    DeleteExtensionHandler,
    ExtensionListing,
    GetExtension,
    UpdateExtensionHandler,
)
from devforge.application.marketplace.review_policy import ReviewPolicy
from devforge.application.marketplace.upload_version import UploadVersion, UploadVersionHandler
from devforge.domain.marketplace.errors import (
    ExtensionInvalid,
    ExtensionNotFound,
    NameSquatted,
    PackageTooLarge,
    VersionInvalid,
    VersionSlotTaken,
)

from .corpus import clean_package
from .world import Market, Outside, chunks_of, marketplace_container


async def test_an_extension_name_one_edit_from_another_is_refused_naming_it(market: Market) -> None:
    publisher_id = await market.publisher()
    await market.extension(publisher_id, "rainbow-brackets")
    with pytest.raises(NameSquatted) as refused:
        await market.extension(publisher_id, "rainbow-bracket")
    assert refused.value.collides_with == "rainbow-brackets" and refused.value.field == "name"


async def test_members_update_and_delete_strangers_meet_a_missing_extension(market: Market) -> None:
    extension_id = await market.extension(await market.publisher())
    stranger = Actor(uuid4())
    listing = ExtensionListing("Rainbow Brackets 2", "Now with more colours.", ("brackets", "colour"), ("themes",))
    with pytest.raises(ExtensionNotFound):
        await market.call(UpdateExtensionHandler, stranger, extension_id, listing)
    with pytest.raises(ExtensionInvalid) as bad:
        await market.call(
            UpdateExtensionHandler, market.developer, extension_id, ExtensionListing("x", tags=("Bad Tag",))
        )
    assert bad.value.field == "tags"
    updated = await market.call(UpdateExtensionHandler, market.developer, extension_id, listing)
    assert updated.extension.tags == ("brackets", "colour") and updated.extension.categories == ("themes",)

    with pytest.raises(ExtensionNotFound):
        await market.call(DeleteExtensionHandler, stranger, extension_id)
    await market.call(DeleteExtensionHandler, market.developer, extension_id)
    with pytest.raises(ExtensionNotFound):
        await market.call(GetExtension, market.developer, extension_id)


async def test_an_upload_is_stored_under_a_key_the_server_chooses_and_enters_review(market: Market) -> None:
    extension_id = await market.extension(await market.publisher())
    archive = clean_package()
    uploaded = await market.upload(extension_id, archive)
    assert uploaded.state == "uploaded" and uploaded.size == len(archive)
    assert market.outside.storage.keys() == [f"extensions/{extension_id}/{uploaded.version_id}.zip"]
    (event,) = await market.events("marketplace.version_uploaded")
    assert event.payload["version_id"] == str(uploaded.version_id)


async def test_a_version_slot_is_never_reused_even_after_the_extension_is_deleted(market: Market) -> None:
    extension_id = await market.extension(await market.publisher())
    await market.upload(extension_id, clean_package())
    with pytest.raises(VersionSlotTaken):
        await market.upload(extension_id, clean_package())
    other_platform = await market.upload(extension_id, clean_package(), platform="linux-x64")
    assert other_platform.target_platform == "linux-x64"

    await market.call(DeleteExtensionHandler, market.developer, extension_id)
    with pytest.raises(ExtensionNotFound):  # the deleted extension takes no uploads
        await market.upload(extension_id, clean_package("1.3.0"))
    with pytest.raises(NameSquatted):  # and its name stays taken
        await market.extension(await market.publisher("zenith", "Zenith"), "rainbow-brackets")


async def test_a_deleted_version_slot_refuses_a_re_upload(market: Market) -> None:
    """Admins still reach a deleted extension; its slots stay taken for them too."""
    extension_id = await market.extension(await market.publisher())
    await market.upload(extension_id, clean_package())
    await market.call(DeleteExtensionHandler, market.developer, extension_id)
    market.developer = market.reviewer
    with pytest.raises(VersionSlotTaken) as refused:
        await market.upload(extension_id, clean_package())
    assert "never reused" in refused.value.message


async def test_bad_version_numbers_and_platforms_are_refused_before_storing(market: Market) -> None:
    extension_id = await market.extension(await market.publisher())
    with pytest.raises(VersionInvalid):
        await market.upload(extension_id, clean_package(), version="v1.2")
    with pytest.raises(VersionInvalid) as build:
        await market.upload(extension_id, clean_package(), version="1.2.0+ci.7")
    assert "build metadata" in build.value.message
    with pytest.raises(ExtensionInvalid) as bad_platform:
        await market.upload(extension_id, clean_package(), platform="amiga")
    assert bad_platform.value.field == "targetPlatform" and market.outside.storage.keys() == []


async def test_a_package_over_the_cap_is_refused_and_nothing_is_kept(clock: object, outside: Outside) -> None:
    container = marketplace_container(clock, outside, max_package_bytes=1000)  # type: ignore[arg-type]
    market = Market(container, outside)
    try:
        extension_id = await market.extension(await market.publisher())
        with pytest.raises(PackageTooLarge) as refused:
            await market.upload(extension_id, bytes(5000))
        assert "1,000 bytes" in refused.value.message
        assert outside.storage.keys() == [] and await market.events("marketplace.version_uploaded") == []
        unread = bytes(500)
        announced = UploadVersion(extension_id, "1.2.0", "universal", chunks_of(unread), announced_bytes=5000)
        with pytest.raises(PackageTooLarge) as refused_at_once:  # a size announced past the cap reads nothing
            await market.call(UploadVersionHandler, market.developer, announced)
        assert (refused_at_once.value.field, outside.storage.keys()) == ("body", [])
    finally:
        await container.close()


def test_a_review_policy_naming_an_unknown_check_is_refused() -> None:
    with pytest.raises(ValueError, match="virus_total"):
        ReviewPolicy.of(disabled=["virus_total"])
    relaxed = ReviewPolicy.of(not_enforced=["documentation"], not_required=["malware"])
    assert not relaxed.settings_of("documentation").enforced and relaxed.settings_of("documentation").required
    assert not relaxed.settings_of("malware").required and relaxed.settings_of("secrets").enforced
