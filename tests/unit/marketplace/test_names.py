"""Names that cannot be impersonated: look-alikes of another holder's names are refused, naming
the name they imitate; reserved names need an administrator or a verified matching domain;
creating publishers, extensions and versions is held to quotas per account."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import UUID, uuid4

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.application.common.actor import Actor
from devforge.application.marketplace.manage_extensions import (
    CreateExtension,
    CreateExtensionHandler,
    ExtensionListing,
    UpdateExtensionHandler,
)
from devforge.application.marketplace.verify_publisher_domain import (
    CheckDomainVerificationHandler,
    StartDomainVerificationHandler,
)
from devforge.domain.marketplace.errors import NameSquatted
from devforge.domain.shared.errors import TooManyAttempts

from .world import Market, Outside, marketplace_container
from .zips import build_zip, clean_files


async def create(market: Market, publisher_id: UUID, name: str, display_name: str) -> UUID:
    command = CreateExtension(publisher_id, name, ExtensionListing(display_name, "Does things."))
    view = await market.call(CreateExtensionHandler, market.developer, command)
    return view.extension.id  # type: ignore[no-any-return]


async def verified_publisher(market: Market, namespace: str, domain: str) -> UUID:
    publisher_id = await market.publisher(namespace, namespace.title())
    started = await market.call(StartDomainVerificationHandler, market.developer, publisher_id, domain)
    name, value = started.challenge
    market.outside.dns.records[name] = [value]
    await market.call(CheckDomainVerificationHandler, market.developer, publisher_id)
    return publisher_id


@pytest.mark.parametrize(
    "display_name", ["\u0410cme Tools", "Acme\u200b Tools", "\u202eslooT emcA", "\U0001d400cme Tools", "ACME TOOLS"]
)
async def test_a_publisher_display_name_that_looks_like_another_is_refused_naming_it(
    market: Market, display_name: str
) -> None:
    await market.publisher("acme", "Acme Tools")
    with pytest.raises(NameSquatted) as refused:
        await market.publisher("zenith", display_name, caller=Actor(uuid4()))
    assert (refused.value.collides_with, refused.value.field) == ("Acme Tools", "displayName")
    assert "'Acme Tools'" in refused.value.message


async def test_an_extension_display_name_that_looks_like_another_extensions_name_is_refused(market: Market) -> None:
    publisher_id = await market.publisher()
    await create(market, publisher_id, "rainbow-brackets", "Rainbow Brackets")
    with pytest.raises(NameSquatted) as refused:
        await create(market, publisher_id, "colour-brackets", "Rainb\u043ew Brackets")
    assert (refused.value.collides_with, refused.value.field) == ("rainbow-brackets", "displayName")


async def test_a_new_display_name_is_checked_and_frees_the_old_one(market: Market) -> None:
    publisher_id = await market.publisher()
    first = await create(market, publisher_id, "rainbow-brackets", "Bracket Painter")
    await create(market, publisher_id, "indent-guides", "Indent Guides")
    with pytest.raises(NameSquatted) as refused:
        await market.call(UpdateExtensionHandler, market.developer, first, ExtensionListing("Indent  Guides"))
    assert refused.value.collides_with == "indent-guides"  # the first name its holder claimed this skeleton with
    await market.call(UpdateExtensionHandler, market.developer, first, ExtensionListing("Bracket Colours"))
    assert await create(market, publisher_id, "brackets-again", "Bracket  Painter")


@pytest.mark.parametrize(("namespace", "reserved"), [("microsoft", "microsoft"), ("devf0rge", "devforge")])
async def test_a_reserved_namespace_is_refused_to_a_developer(market: Market, namespace: str, reserved: str) -> None:
    with pytest.raises(NameSquatted) as refused:
        await market.publisher(namespace, "Someone")
    assert (refused.value.collides_with, refused.value.field) == (reserved, "namespace")


async def test_an_administrator_claims_a_reserved_name(market: Market) -> None:
    assert await market.publisher("devforge", "DevForge", caller=market.reviewer)


async def test_a_member_of_a_publisher_with_the_verified_domain_claims_the_reserved_name(market: Market) -> None:
    with pytest.raises(NameSquatted):
        await market.publisher("prettier", "Prettier")
    publisher_id = await verified_publisher(market, "prettier-team", "docs.prettier.io")
    assert await market.publisher("prettier", "Prettier")
    assert await create(market, publisher_id, "eslint-bridge", "Eslint Bridge")
    with pytest.raises(NameSquatted) as refused:
        await create(market, publisher_id, "eslint", "ESLint")
    assert refused.value.collides_with == "eslint"


@pytest.fixture
async def tight(clock: ManualClock, outside: Outside) -> AsyncIterator[Market]:
    container = marketplace_container(
        clock,
        outside,
        marketplace_publishers_per_day=2,
        marketplace_extensions_per_day=2,
        marketplace_versions_per_hour=1,
    )
    yield Market(container, outside)
    await container.close()


async def test_quotas_refuse_for_now_with_the_time_to_wait(tight: Market) -> None:
    publisher_id = await tight.publisher("acme", "Acme Tools")
    await tight.publisher("zenith", "Zenith Labs")
    with pytest.raises(TooManyAttempts) as publishers:
        await tight.publisher("orbit", "Orbit Works")
    assert 0 < publishers.value.retry_after_seconds <= 86_400
    first = await create(tight, publisher_id, "rainbow-brackets", "Rainbow Brackets")
    await create(tight, publisher_id, "indent-guides", "Indent Guides")
    with pytest.raises(TooManyAttempts):
        await create(tight, publisher_id, "colour-picker", "Colour Picker")
    await tight.upload(first, build_zip(clean_files()), "1.0.0")
    with pytest.raises(TooManyAttempts) as versions:
        await tight.upload(first, build_zip(clean_files()), "1.0.1")
    assert 0 < versions.value.retry_after_seconds <= 3_600


async def test_administrators_are_not_held_to_the_quotas(tight: Market) -> None:
    for namespace in ("acme", "zenith", "orbit"):
        assert await tight.publisher(namespace, namespace.title(), caller=tight.reviewer)
