"""Payout accounts: the onboarding state is derived from the provider's facts, older or repeated
facts change nothing, only a publisher's owner opens or sees its account, and calling again (even
twice at once) re-issues a link for the one account."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.payout_accounts import InMemoryPayoutAccountReads, InMemoryPayoutAccountRepository
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.payments.memory_connected_accounts import INITIALLY_DUE, InMemoryConnectedAccounts
from devforge.application.billing.errors import ReturnUrlNotAllowed
from devforge.application.billing.extension_sellers import Seller
from devforge.application.billing.get_payout_account import GetPayoutAccount
from devforge.application.billing.list_payout_accounts import ListPayoutAccounts
from devforge.application.billing.payout_account_ports import NewConnectedAccount
from devforge.application.billing.ports import AccountContact
from devforge.application.billing.return_urls import CheckoutReturnUrls
from devforge.application.billing.start_payout_onboarding import (
    StartPayoutOnboarding,
    StartPayoutOnboardingHandler,
)
from devforge.application.billing.sync_payout_account import SyncPayoutAccount
from devforge.application.common.actor import Actor
from devforge.application.common.public_url import PublicUrl
from devforge.application.common.unavailable import ServiceUnavailable
from devforge.domain.billing.errors import CountryUnknown
from devforge.domain.billing.payout_account import (
    AccountFacts,
    OnboardingState,
    PayoutAccountNotFound,
    PayoutAccountsAdminOnly,
    PayoutCountryFixed,
)
from devforge.domain.billing.payout_requirements import describe_reason, describe_requirement
from devforge.domain.billing.permissions import BillingPermission
from tests.fakes.extension_sellers import FakeExtensionSellers

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
BASE = "https://devforge.test"


class Directory:
    async def contact(self, user_id: UUID) -> AccountContact | None:
        return AccountContact(f"{user_id.hex[:8]}@example.com", True)


@dataclass
class World:
    store: MemoryStore
    sellers: FakeExtensionSellers
    provider: InMemoryConnectedAccounts
    clock: ManualClock
    seller: Seller

    def start(self) -> StartPayoutOnboardingHandler:
        uow = InMemoryUnitOfWork(self.store)
        return StartPayoutOnboardingHandler(
            uow,
            InMemoryPayoutAccountRepository(uow.store),
            self.provider,
            self.sellers,
            Directory(),
            CheckoutReturnUrls.of(BASE, []),
            PublicUrl(BASE),
            self.clock,
        )

    def get(self) -> GetPayoutAccount:
        return GetPayoutAccount(InMemoryPayoutAccountReads(self.store), self.sellers)

    async def sync(self, account_id: str) -> str:
        uow = InMemoryUnitOfWork(self.store)
        outcome = await SyncPayoutAccount(InMemoryPayoutAccountRepository(uow.store), self.provider, self.clock)(
            account_id
        )
        await uow.commit()
        return outcome

    @property
    def owner(self) -> Actor:
        return Actor(self.seller.owner_id, frozenset({BillingPermission.EXTENSIONS_SELL}))


def a_world() -> World:
    sellers = FakeExtensionSellers()
    seller = Seller(uuid4(), "Acme Tools", uuid4(), verified=True)
    sellers.sellers[seller.publisher_id] = seller
    return World(MemoryStore(), sellers, InMemoryConnectedAccounts(), ManualClock(NOW), seller)


def test_the_state_follows_the_providers_facts() -> None:
    assert AccountFacts(NOW).state is OnboardingState.PENDING
    restricted = AccountFacts(NOW, details_submitted=True, past_due=("external_account",))
    assert restricted.state is OnboardingState.RESTRICTED
    assert AccountFacts(NOW, details_submitted=True, payouts_enabled=True).state is OnboardingState.ENABLED
    both = AccountFacts(NOW, currently_due=("a", "b"), past_due=("b", "c"))
    assert both.requirements == ("b", "c", "a")  # past due first, each once


async def test_the_owner_opens_one_account_and_calling_again_reissues_a_link_for_it() -> None:
    world = a_world()
    first = await world.start()(world.owner, StartPayoutOnboarding(world.seller.publisher_id, " de "))
    again = await world.start()(world.owner, StartPayoutOnboarding(world.seller.publisher_id, "DE"))
    assert first.account.provider_account_id == again.account.provider_account_id
    assert first.url != again.url and len(world.provider.requests) == 1
    assert first.account.state is OnboardingState.PENDING and first.account.country == "DE"
    (request,) = world.provider.requests
    assert request.publisher_id == world.seller.publisher_id and request.email
    assert [link[1:] for link in world.provider.links] == [(BASE + "/", BASE + "/")] * 2


class SlowConnectedAccounts(InMemoryConnectedAccounts):
    """Answers after the other submits had their turn, so they all find no account first."""

    def __init__(self) -> None:
        super().__init__()
        self.creates = 0

    async def create(self, request: NewConnectedAccount) -> str:
        self.creates += 1
        await asyncio.sleep(0)
        return await super().create(request)


async def test_two_submits_at_once_end_on_one_account() -> None:
    world = a_world()
    world.provider = provider = SlowConnectedAccounts()
    command = StartPayoutOnboarding(world.seller.publisher_id, "DE")
    links = await asyncio.gather(*(world.start()(world.owner, command) for _ in range(5)))
    assert provider.creates == 5  # every submit found no account and asked the provider
    assert len({link.account.provider_account_id for link in links}) == 1
    assert len(world.provider.accounts) == 1
    stored = await InMemoryPayoutAccountReads(world.store).list_all(limit=10, offset=0)
    assert [a.provider_account_id for a in stored] == [links[0].account.provider_account_id]


@pytest.mark.parametrize("who", ["a stranger", "a missing publisher"])
async def test_anyone_but_the_owner_is_told_there_is_no_such_publisher(who: str) -> None:
    world = a_world()
    actor, publisher = (Actor(uuid4()), world.seller.publisher_id) if who == "a stranger" else (world.owner, uuid4())
    with pytest.raises(PayoutAccountNotFound):
        await world.start()(actor, StartPayoutOnboarding(publisher, "DE"))
    with pytest.raises(PayoutAccountNotFound):
        await world.get()(actor, publisher)
    assert world.provider.requests == [] and world.store.table("billing_payout_accounts") == {}


async def test_an_administrator_sees_any_publishers_account() -> None:
    world = a_world()
    admin = Actor(uuid4(), frozenset({BillingPermission.ADMIN}))
    view = await world.get()(admin, world.seller.publisher_id)
    assert view.state is OnboardingState.NOT_STARTED and view.requirements == ()


@pytest.mark.parametrize(
    ("command", "error", "field"),
    [
        (StartPayoutOnboarding(uuid4(), "XX"), CountryUnknown, "country"),
        (StartPayoutOnboarding(uuid4(), "DE", return_url="https://evil.example/x"), ReturnUrlNotAllowed, "returnUrl"),
        (
            StartPayoutOnboarding(uuid4(), "DE", refresh_url="https://a@devforge.test/"),
            ReturnUrlNotAllowed,
            "refreshUrl",
        ),
    ],
)
async def test_bad_input_names_its_field_and_opens_nothing(
    command: StartPayoutOnboarding, error: type[Exception], field: str
) -> None:
    world = a_world()
    named = StartPayoutOnboarding(world.seller.publisher_id, command.country, command.return_url, command.refresh_url)
    with pytest.raises(error) as raised:
        await world.start()(world.owner, named)
    assert getattr(raised.value, "field", None) == field
    assert world.provider.requests == [] and world.store.table("billing_payout_accounts") == {}


async def test_the_country_is_fixed_once_the_account_is_opened() -> None:
    world = a_world()
    await world.start()(world.owner, StartPayoutOnboarding(world.seller.publisher_id, "DE"))
    with pytest.raises(PayoutCountryFixed) as raised:
        await world.start()(world.owner, StartPayoutOnboarding(world.seller.publisher_id, "FR"))
    assert raised.value.field == "country" and len(world.provider.links) == 1


async def test_the_provider_moves_the_account_and_repeated_or_old_reads_change_nothing() -> None:
    world = a_world()
    link = await world.start()(world.owner, StartPayoutOnboarding(world.seller.publisher_id, "DE"))
    account_id = link.account.provider_account_id
    due = ("individual.verification.document", "external_account")

    async def state_after(**facts: object) -> tuple[OnboardingState, tuple[str, ...]]:
        world.provider.set_facts(account_id, **facts)
        world.clock.advance(timedelta(seconds=1))
        await world.sync(account_id)
        view = await world.get()(world.owner, world.seller.publisher_id)
        return view.state, tuple(r.code for r in view.requirements)

    restricted = {"details_submitted": True, "currently_due": due, "past_due": due}
    assert await state_after(**restricted) == (OnboardingState.RESTRICTED, due)
    view = await world.get()(world.owner, world.seller.publisher_id)
    assert [r.description for r in view.requirements][1] == "A bank account to pay out to"
    enabled = {"payouts_enabled": True, "currently_due": (), "past_due": (), "disabled_reason": None}
    assert await state_after(**enabled) == (OnboardingState.ENABLED, ())
    assert (await world.sync(account_id)).startswith("unchanged")  # the same notification again
    again = {"payouts_enabled": False, "past_due": ("external_account",), "disabled_reason": "requirements.past_due"}
    assert await state_after(**again) == (OnboardingState.RESTRICTED, ("external_account",))
    view = await world.get()(world.owner, world.seller.publisher_id)
    assert view.disabled_reason and "past due" in view.disabled_reason


async def test_facts_older_than_the_kept_ones_are_ignored() -> None:
    world = a_world()
    link = await world.start()(world.owner, StartPayoutOnboarding(world.seller.publisher_id, "DE"))
    account = link.account
    enabled = AccountFacts(NOW + timedelta(seconds=10), details_submitted=True, payouts_enabled=True)
    assert account.apply(enabled)
    assert not account.apply(AccountFacts(NOW + timedelta(seconds=5), details_submitted=True))  # older
    assert not account.apply(AccountFacts(NOW + timedelta(seconds=10)))  # not newer
    assert account.state is OnboardingState.ENABLED and account.facts == enabled


async def test_an_account_that_is_not_ours_or_unknown_to_the_provider_is_ignored() -> None:
    world = a_world()
    assert await world.sync("acct_someone_elses") == "ignored: not a payout account of ours"
    link = await world.start()(world.owner, StartPayoutOnboarding(world.seller.publisher_id, "DE"))
    del world.provider.accounts[link.account.provider_account_id]
    assert await world.sync(link.account.provider_account_id) == "ignored: unknown to the provider"


async def test_only_an_administrator_lists_every_account() -> None:
    world = a_world()
    await world.start()(world.owner, StartPayoutOnboarding(world.seller.publisher_id, "DE"))
    listing = ListPayoutAccounts(InMemoryPayoutAccountReads(world.store))
    with pytest.raises(PayoutAccountsAdminOnly):
        await listing(world.owner)
    (view,) = await listing(Actor(uuid4(), frozenset({BillingPermission.ADMIN})))
    assert (view.publisher_id, view.state, view.country) == (world.seller.publisher_id, OnboardingState.PENDING, "DE")
    assert [r.code for r in view.requirements] == list(INITIALLY_DUE)


def test_every_requirement_is_worded_and_none_is_hidden() -> None:
    assert describe_requirement("external_account") == "A bank account to pay out to"
    assert describe_requirement("company.directors_provided") == "Company directors provided"
    assert (
        describe_reason("rejected.fraud")
        == describe_reason("rejected.something_new")
        == ("The provider rejected the account")
    )
    assert describe_reason("never.heard.of") == "The provider disabled payouts"


async def test_a_provider_that_does_not_answer_is_a_retry_later_and_writes_nothing() -> None:
    world = a_world()
    world.provider.unavailable = True
    with pytest.raises(ServiceUnavailable):
        await world.start()(world.owner, StartPayoutOnboarding(world.seller.publisher_id, "DE"))
    assert world.store.table("billing_payout_accounts") == {}
    world.provider.unavailable = False
    link = await world.start()(world.owner, StartPayoutOnboarding(world.seller.publisher_id, "DE"))
    assert link.account.state is OnboardingState.PENDING and len(world.provider.accounts) == 1
