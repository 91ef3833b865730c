"""Publishers: squat-checked names, membership, DNS verification, the developer dashboard."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.actor import Actor
from devforge.application.marketplace.developer_dashboard import ShowDeveloperDashboard
from devforge.application.marketplace.register_publisher import RegisterPublisher, RegisterPublisherHandler
from devforge.application.marketplace.verify_publisher_domain import (
    CheckDomainVerificationHandler,
    StartDomainVerificationHandler,
)
from devforge.domain.identity.roles import Role
from devforge.domain.marketplace.errors import (
    DomainVerificationFailed,
    MarketplaceActionRefused,
    NameSquatted,
    PublisherInvalid,
    PublisherNotFound,
)
from devforge.domain.marketplace.naming import colliding_name, edit_distance
from tests.access_world import add_account

from .world import Market


@pytest.mark.parametrize(
    ("left", "right", "distance"),
    [("acme", "acme", 0), ("acme", "acne", 1), ("acme", "acm", 1), ("acme", "acme1", 1), ("acme", "amce", 2)],
)
def test_edit_distance_counts_insertions_deletions_and_substitutions(left: str, right: str, distance: int) -> None:
    assert edit_distance(left, right, limit=5) == distance


def test_a_name_collides_with_the_first_existing_name_one_edit_away_whatever_the_case() -> None:
    assert colliding_name("ACNE", ["zeta", "acme"]) == "acme"
    assert colliding_name("acme-tools", ["acme", "tools"]) is None


@pytest.mark.parametrize(
    ("namespace", "display_name", "field", "collides_with"),
    [
        ("acne", "Someone Else", "namespace", "acme"),
        ("acme", "Anyone", "namespace", "acme"),
        ("zenith", "Acme Tool", "displayName", "Acme Tools"),
        ("acme-tools", "Other", "namespace", "Acme Tools"),
        ("zenith-labs", "Zenith Labs", "namespace", None),
    ],
)
async def test_a_squatting_publisher_is_refused_with_the_name_it_collides_with(
    market: Market, namespace: str, display_name: str, field: str, collides_with: str | None
) -> None:
    await market.publisher("acme", "Acme Tools")
    other = Actor(uuid4())
    if collides_with is None:
        assert await market.publisher(namespace, display_name, caller=other)
        return
    with pytest.raises(NameSquatted) as refused:
        await market.publisher(namespace, display_name, caller=other)
    assert refused.value.collides_with == collides_with and refused.value.field == field
    assert collides_with in refused.value.message


async def test_a_namespace_must_follow_the_name_rules(market: Market) -> None:
    with pytest.raises(PublisherInvalid) as refused:
        await market.publisher("-Acme", "Acme")
    assert refused.value.field == "namespace"


async def test_the_owner_verifies_the_domain_through_a_dns_txt_record(market: Market) -> None:
    publisher_id = await market.publisher()
    started = await market.call(StartDomainVerificationHandler, market.developer, publisher_id, "Acme.Example.")
    name, value = started.challenge
    assert name == "_devforge-challenge.acme.example" and value.startswith("devforge-verification=")

    with pytest.raises(DomainVerificationFailed) as missing:
        await market.call(CheckDomainVerificationHandler, market.developer, publisher_id)
    assert "No TXT record" in missing.value.message

    market.outside.dns.failing.add(name)
    with pytest.raises(DomainVerificationFailed) as unanswered:
        await market.call(CheckDomainVerificationHandler, market.developer, publisher_id)
    assert "got no answer" in unanswered.value.message

    market.outside.dns.failing.clear()
    market.outside.dns.records[name] = ["v=spf1 -all", f"  {value} "]
    verified = await market.call(CheckDomainVerificationHandler, market.developer, publisher_id)
    assert verified.publisher.verified
    assert [event.payload["domain"] for event in await market.events("marketplace.publisher_verified")] == [
        "acme.example"
    ]


async def test_only_the_owner_starts_verification_and_strangers_see_no_publisher(market: Market) -> None:
    publisher_id = await market.publisher()
    with pytest.raises(PublisherNotFound):
        await market.call(StartDomainVerificationHandler, Actor(uuid4()), publisher_id, "acme.example")
    with pytest.raises(PublisherInvalid):
        await market.call(StartDomainVerificationHandler, market.developer, publisher_id, "not a domain")
    with pytest.raises(MarketplaceActionRefused):
        await market.call(StartDomainVerificationHandler, market.reviewer, publisher_id, "acme.example")


async def test_the_dashboard_shows_onboarding_publishers_and_extensions(market: Market) -> None:
    empty = await market.call(ShowDeveloperDashboard, market.developer)
    assert empty.onboarding == dict.fromkeys(empty.onboarding, False)
    publisher_id = await market.publisher()
    await market.extension(publisher_id)
    board = await market.call(ShowDeveloperDashboard, market.developer)
    assert [p.namespace for p in board.publishers] == ["acme"]
    assert [view.extension.name for view in board.extensions] == ["rainbow-brackets"]
    assert board.onboarding["extensionCreated"] and not board.onboarding["versionUploaded"]


async def test_dashboards_asked_at_once_share_a_reading_only_with_the_same_developer(market: Market) -> None:
    """Concurrent dashboards share one reading per developer: each developer sees only their own."""
    other = Actor(uuid4())
    await market.publisher()
    await market.publisher("globex", "Globex Tools", caller=other)
    callers = [market.developer, other] * 4
    boards = await asyncio.gather(*(market.call(ShowDeveloperDashboard, caller) for caller in callers))
    for caller, board in zip(callers, boards, strict=True):
        assert [p.namespace for p in board.publishers] == ["acme" if caller == market.developer else "globex"]


async def test_review_mails_go_to_the_registering_accounts_address(memory_container: AsyncContainer) -> None:
    """The use case asks identity (through the marketplace's own port, served in bootstrap by
    identity's published ``AccountLookup``), so every caller gets the same address."""
    owner = Actor(await add_account(memory_container, "owner@acme.example", Role.DEVELOPER))
    async with memory_container() as scope:
        publisher = await (await scope.get(RegisterPublisherHandler))(owner, RegisterPublisher("acme", "Acme"))
    assert publisher.contact_email == "owner@acme.example"
    async with memory_container() as scope:
        unknown = await (await scope.get(RegisterPublisherHandler))(Actor(uuid4()), RegisterPublisher("zeta", "Zeta"))
    assert unknown.contact_email == ""
