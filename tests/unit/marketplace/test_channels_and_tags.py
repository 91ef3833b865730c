"""Channels and dist-tags: the stable channel never offers a pre-release (by number or by the
manifest's flag), ``latest`` and ``pre-release`` follow the published versions by themselves, and
publishers' own tags point at live versions only and are dropped when theirs is yanked."""

from __future__ import annotations

import json
from uuid import UUID

import pytest

from devforge.application.common.actor import Actor
from devforge.application.marketplace.download_extension import CompatibleVersion, DownloadExtension, DownloadRequest
from devforge.application.marketplace.manage_dist_tags import RemoveDistTagHandler, SetDistTagHandler, ShowDistTags
from devforge.application.marketplace.manage_extensions import GetExtension
from devforge.application.marketplace.reviewing import VersionSlot
from devforge.application.marketplace.withdraw import YankVersionHandler
from devforge.domain.marketplace.dist_tags import Channel, custom_tag
from devforge.domain.marketplace.errors import (
    DistTagInvalid,
    DistTagNotFound,
    DistTagReserved,
    ExtensionNotFound,
    VersionNotFound,
)
from devforge.domain.marketplace.manifest import read_manifest

from .releases import publish
from .world import Market
from .zips import clean_files, manifest


async def download(market: Market, extension_id: UUID, **choice: object) -> str:
    request = DownloadRequest(extension_id, "client-1", **choice)  # type: ignore[arg-type]
    return (await market.call(DownloadExtension, request)).version.version  # type: ignore[no-any-return]


async def tags(market: Market, extension_id: UUID) -> dict[str, str]:
    return await market.call(ShowDistTags, extension_id)  # type: ignore[no-any-return]


@pytest.fixture
async def extension_id(market: Market) -> UUID:
    return await market.extension(await market.publisher())


def test_the_manifest_flags_a_pre_release_and_lists_dependencies_as_namespace_name() -> None:
    good = manifest(preRelease=True, extensionDependencies=["acme.core", "ms-tools.lint"])
    found, findings = read_manifest(clean_files({"extension/package.json": json.dumps(good).encode()}))
    assert findings == [] and found is not None
    assert found.pre_release is True and found.dependencies == ("acme.core", "ms-tools.lint")

    bad = manifest(preRelease="yes", extensionDependencies=["acme.core", "Acme.Core", "no-namespace", 7])
    found, findings = read_manifest(clean_files({"extension/package.json": json.dumps(bad).encode()}))
    messages = [finding.message for finding in findings]
    assert found is None and len(messages) == 4
    assert "'preRelease' must be true or false" in messages[0]
    assert all("'extensionDependencies' entry" in message for message in messages[1:])
    assert '"Acme.Core"' in messages[1] and '"no-namespace"' in messages[2] and "7" in messages[3]


def test_custom_tag_names_follow_the_rule_and_the_automatic_ones_are_not_for_hands() -> None:
    assert custom_tag("next") == "next" and custom_tag("beta-2") == "beta-2"
    for reserved in ("latest", "pre-release"):
        with pytest.raises(DistTagReserved) as refused:
            custom_tag(reserved)
        assert refused.value.field == "tag" and "by itself" in refused.value.message
    for bad in ("Next", "2beta", "-x", "a" * 33, "1.2.3", "", "next_1"):
        with pytest.raises(DistTagInvalid):
            custom_tag(bad)


async def test_the_stable_channel_skips_pre_releases_by_number_and_by_flag(market: Market, extension_id: UUID) -> None:
    await publish(market, extension_id, "1.2.0")
    await publish(market, extension_id, "1.3.0", preRelease=True)  # VS Code style: a stable number, flagged
    await publish(market, extension_id, "1.4.0-beta.1")

    assert await download(market, extension_id) == "1.2.0"
    assert await download(market, extension_id, channel=Channel.STABLE) == "1.2.0"
    assert await download(market, extension_id, channel=Channel.PRE_RELEASE) == "1.4.0-beta.1"
    assert (await market.call(CompatibleVersion, extension_id, "1.85.0")).version == "1.2.0"
    compatible = await market.call(CompatibleVersion, extension_id, "1.85.0", "universal", True)
    assert compatible.version == "1.4.0-beta.1"
    shown = await market.call(GetExtension, None, extension_id)
    assert sorted((v.version, v.prerelease) for v in shown.versions) == [
        ("1.2.0", False),
        ("1.3.0", True),
        ("1.4.0-beta.1", True),
    ]
    assert await tags(market, extension_id) == {"latest": "1.2.0", "pre-release": "1.4.0-beta.1"}
    assert shown.dist_tags == {"latest": "1.2.0", "pre-release": "1.4.0-beta.1"}


async def test_the_pre_release_channel_takes_a_newer_stable_version_over_an_older_pre_release(
    market: Market, extension_id: UUID
) -> None:
    await publish(market, extension_id, "2.0.0-rc.1")
    assert await download(market, extension_id, channel=Channel.PRE_RELEASE) == "2.0.0-rc.1"
    with pytest.raises(VersionNotFound):
        await download(market, extension_id)  # nothing stable yet
    await publish(market, extension_id, "2.0.0")
    assert await download(market, extension_id, channel=Channel.PRE_RELEASE) == "2.0.0"
    assert await tags(market, extension_id) == {"latest": "2.0.0", "pre-release": "2.0.0-rc.1"}


async def test_a_publisher_tag_points_at_a_live_version_and_is_downloaded_by_name(
    market: Market, extension_id: UUID
) -> None:
    await publish(market, extension_id, "1.2.0")
    await publish(market, extension_id, "1.3.0-beta.1")
    after_set = await market.call(SetDistTagHandler, market.developer, extension_id, "next", "1.3.0-beta.1")
    assert after_set == {"latest": "1.2.0", "pre-release": "1.3.0-beta.1", "next": "1.3.0-beta.1"}
    assert await download(market, extension_id, tag="next") == "1.3.0-beta.1"
    assert await download(market, extension_id, tag="latest") == "1.2.0"
    with pytest.raises(DistTagNotFound) as unknown:
        await download(market, extension_id, tag="beta")
    assert unknown.value.field == "tag"

    moved = await market.call(SetDistTagHandler, market.developer, extension_id, "next", "1.2.0")
    assert moved["next"] == "1.2.0"
    with pytest.raises(VersionNotFound) as missing:
        await market.call(SetDistTagHandler, market.developer, extension_id, "next", "9.9.9")
    assert missing.value.field == "version"
    with pytest.raises(DistTagReserved):
        await market.call(SetDistTagHandler, market.developer, extension_id, "latest", "1.2.0")
    with pytest.raises(DistTagReserved):
        await market.call(RemoveDistTagHandler, market.developer, extension_id, "pre-release")

    left = await market.call(RemoveDistTagHandler, market.developer, extension_id, "next")
    assert left == {"latest": "1.2.0", "pre-release": "1.3.0-beta.1"}
    with pytest.raises(DistTagNotFound):
        await market.call(RemoveDistTagHandler, market.developer, extension_id, "next")


async def test_strangers_cannot_tag_and_see_no_tags_before_anything_is_published(
    market: Market, extension_id: UUID
) -> None:
    with pytest.raises(ExtensionNotFound):
        await tags(market, extension_id)
    await publish(market, extension_id, "1.2.0")
    stranger = Actor(UUID(int=7))
    with pytest.raises(ExtensionNotFound):
        await market.call(SetDistTagHandler, stranger, extension_id, "next", "1.2.0")


async def test_yanking_moves_latest_and_drops_the_tags_naming_the_yanked_version(
    market: Market, extension_id: UUID
) -> None:
    await publish(market, extension_id, "1.2.0")
    await publish(market, extension_id, "1.3.0")
    await market.call(SetDistTagHandler, market.developer, extension_id, "stable-pick", "1.3.0")
    await market.call(SetDistTagHandler, market.developer, extension_id, "old", "1.2.0")
    assert (await tags(market, extension_id))["latest"] == "1.3.0"

    await market.call(YankVersionHandler, market.developer, VersionSlot(extension_id, "1.3.0"), "Crashes.")
    assert await tags(market, extension_id) == {"latest": "1.2.0", "old": "1.2.0"}
    assert await download(market, extension_id) == "1.2.0"
    with pytest.raises(VersionNotFound):
        await market.call(SetDistTagHandler, market.developer, extension_id, "again", "1.3.0")


async def test_a_tag_survives_while_another_platform_build_of_its_version_is_live(
    market: Market, extension_id: UUID
) -> None:
    await publish(market, extension_id, "1.2.0")
    await publish(market, extension_id, "1.2.0", platform="linux-x64")
    await market.call(SetDistTagHandler, market.developer, extension_id, "next", "1.2.0")
    await market.call(YankVersionHandler, market.developer, VersionSlot(extension_id, "1.2.0", "linux-x64"), "Bad.")
    assert (await tags(market, extension_id))["next"] == "1.2.0"
    linux = DownloadRequest(extension_id, "client-1", target_platform="linux-x64", tag="next")
    assert (await market.call(DownloadExtension, linux)).version.target_platform == "universal"
