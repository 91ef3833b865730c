"""One contract for the payout accounts' repository (and ``PayeeAccounts`` read over it), on
memory, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from dishka import AsyncContainer, Provider, Scope, provide

from devforge.adapters.payments.memory_connected_accounts import InMemoryConnectedAccounts
from devforge.application.billing.extension_sellers import ExtensionSellers, Seller
from devforge.application.billing.payout_account_ports import (
    ConnectedAccounts,
    NewConnectedAccount,
    PayoutAccountReads,
    PayoutAccountRepository,
)
from devforge.application.billing.payout_ports import OnboardingState, PayeeAccounts
from devforge.application.billing.start_payout_onboarding import StartPayoutOnboarding, StartPayoutOnboardingHandler
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.payout_accounts import SqlaPayoutAccountsProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.domain.billing.payout_account import (
    AccountFacts,
    PayoutAccount,
    PayoutAccountChanged,
    PayoutAccountExists,
)
from tests.conftest import settings_for_tests
from tests.fakes.extension_sellers import FakeExtensionSellers
from tests.integration.backends import BACKENDS, postgres_database, sqlite_database

NOW = datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)


class SlowProvider(Provider):
    """The sellers as a fake, and a provider that answers only after every other submit asked."""

    def __init__(self, sellers: FakeExtensionSellers, connected: ConnectedAccounts) -> None:
        super().__init__(scope=Scope.APP)
        self._sellers, self._connected = sellers, connected

    @provide(scope=Scope.REQUEST)
    def sellers(self) -> ExtensionSellers:
        return self._sellers

    @provide
    def connected(self) -> ConnectedAccounts:
        return self._connected


class SlowConnectedAccounts(InMemoryConnectedAccounts):
    async def create(self, request: NewConnectedAccount) -> str:
        await asyncio.sleep(0.05)
        return await super().create(request)


@asynccontextmanager
async def payout_backend(backend: str, folder: Path, *overrides: Provider) -> AsyncIterator[AsyncContainer]:
    if backend == "memory":
        container = make_container(settings_for_tests(), *overrides, base=memory_providers())
    else:
        database = postgres_database() if backend == "postgres" else sqlite_database(folder)
        url = await database.__aenter__()
        container = make_container(
            settings_for_tests(database_url=url),
            SqlaPersistenceProvider(),
            SqlaPayoutAccountsProvider(),
            *overrides,
            base=memory_providers(),
        )
    try:
        yield container
    finally:
        await container.close()
        if backend != "memory":
            await database.__aexit__(None, None, None)


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with payout_backend(request.param, tmp_path) as built:
        yield built


def an_account(publisher_id: UUID | None = None, account_id: str | None = None, at: datetime = NOW) -> PayoutAccount:
    return PayoutAccount(
        id=uuid4(),
        publisher_id=publisher_id or uuid4(),
        provider="stripe",
        provider_account_id=account_id or f"acct_{uuid4().hex[:16]}",
        country="DE",
        created_at=at,
        facts=AccountFacts(observed_at=at, currently_due=("external_account",)),
    )


async def _add(container: AsyncContainer, *accounts: PayoutAccount) -> None:
    async with container() as scope:
        for account in accounts:
            await (await scope.get(PayoutAccountRepository)).add(account)
        await (await scope.get(UnitOfWork)).commit()


async def test_an_account_round_trips_with_its_facts_by_publisher_and_by_provider_id(
    container: AsyncContainer,
) -> None:
    account = an_account()
    await _add(container, account)
    later = AccountFacts(
        observed_at=NOW + timedelta(seconds=5, microseconds=7),
        details_submitted=True,
        currently_due=("external_account", "individual.verification.document"),
        past_due=("individual.verification.document",),
        disabled_reason="requirements.past_due",
    )
    async with container() as scope:
        accounts = await scope.get(PayoutAccountRepository)
        loaded = await accounts.get_by_provider_account(account.provider_account_id, for_update=True)
        assert loaded is not None and loaded.apply(later)
        await accounts.update(loaded)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        accounts = await scope.get(PayoutAccountRepository)
        again = await accounts.get_by_publisher(account.publisher_id)
        assert again is not None and again.facts == later and again.version == 1
        assert (again.id, again.provider, again.country, again.created_at) == (account.id, "stripe", "DE", NOW)
        assert again.updated_at == later.observed_at and again.state is OnboardingState.RESTRICTED
        assert await accounts.get_by_publisher(uuid4()) is None
        assert await accounts.get_by_provider_account("acct_nobody") is None
    reads = await container.get(PayoutAccountReads)  # the dashboard's glance: committed, no session
    glance = await reads.by_publisher(account.publisher_id)
    assert glance is not None and glance.facts == later and glance.version == 1
    assert await reads.by_publisher(uuid4()) is None


async def test_a_publisher_has_one_account_and_a_clash_keeps_the_first(container: AsyncContainer) -> None:
    first = an_account()
    await _add(container, first)
    async with container() as scope:
        with pytest.raises(PayoutAccountExists):
            await (await scope.get(PayoutAccountRepository)).add(an_account(first.publisher_id))
    async with container() as scope:
        with pytest.raises(PayoutAccountExists):  # nor may two publishers share a provider account
            await (await scope.get(PayoutAccountRepository)).add(an_account(account_id=first.provider_account_id))
    async with container() as scope:
        kept = await (await scope.get(PayoutAccountRepository)).get_by_publisher(first.publisher_id)
        assert kept is not None and kept.id == first.id and kept.provider_account_id == first.provider_account_id


async def test_a_stale_update_is_refused(container: AsyncContainer) -> None:
    account = an_account()
    await _add(container, account)
    async with container() as scope:
        accounts = await scope.get(PayoutAccountRepository)
        fresh = await accounts.get_by_publisher(account.publisher_id)
        stale = await accounts.get_by_publisher(account.publisher_id)
        assert fresh is not None and stale is not None
        fresh.apply(AccountFacts(observed_at=NOW + timedelta(seconds=1), details_submitted=True, payouts_enabled=True))
        await accounts.update(fresh)
        stale.apply(AccountFacts(observed_at=NOW + timedelta(seconds=2)))
        with pytest.raises(PayoutAccountChanged):
            await accounts.update(stale)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        kept = await (await scope.get(PayoutAccountRepository)).get_by_publisher(account.publisher_id)
        assert kept is not None and kept.state is OnboardingState.ENABLED


async def test_nothing_is_kept_without_a_commit(container: AsyncContainer) -> None:
    account = an_account()
    async with container() as scope:
        await (await scope.get(PayoutAccountRepository)).add(account)
    async with container() as scope:
        assert await (await scope.get(PayoutAccountRepository)).get_by_publisher(account.publisher_id) is None


async def test_accounts_list_oldest_first_a_page_at_a_time(container: AsyncContainer) -> None:
    accounts = [an_account(at=NOW + timedelta(minutes=age)) for age in (2, 0, 1)]
    await _add(container, *accounts)
    reads = await container.get(PayoutAccountReads)  # committed, no session
    first_page = await reads.list_all(limit=2, offset=0)
    second_page = await reads.list_all(limit=2, offset=2)
    assert [a.id for a in first_page + second_page] == [accounts[1].id, accounts[2].id, accounts[0].id]


async def test_payee_accounts_read_the_recorded_state_and_requirements(container: AsyncContainer) -> None:
    account = an_account()
    await _add(container, account)
    async with container() as scope:
        payees = await scope.get(PayeeAccounts)
        payee = await payees.account(account.publisher_id)
        assert await payees.account(uuid4()) is None
    assert payee is not None and payee.provider_account_id == account.provider_account_id
    assert (payee.state, payee.payouts_enabled, payee.requirements) == (
        OnboardingState.PENDING,
        False,
        ("external_account",),
    )


@pytest.mark.parametrize("backend", BACKENDS)
async def test_five_submits_at_once_keep_one_account(backend: str, tmp_path: Path) -> None:
    """Every submit finds no account and asks the provider (the same idempotency key: one account
    there); one insert wins, the others read the winner's row: one row, one account for all."""
    sellers, connected = FakeExtensionSellers(), SlowConnectedAccounts()
    seller = Seller(uuid4(), "Acme", uuid4(), verified=True)
    sellers.sellers[seller.publisher_id] = seller
    async with payout_backend(backend, tmp_path, SlowProvider(sellers, connected)) as container:

        async def submit() -> str:
            async with container() as scope:
                handler = await scope.get(StartPayoutOnboardingHandler)
                link = await handler(Actor(seller.owner_id), StartPayoutOnboarding(seller.publisher_id, "DE"))
                return link.account.provider_account_id

        opened = await asyncio.gather(*(submit() for _ in range(5)))
        stored = await (await container.get(PayoutAccountReads)).list_all(limit=10, offset=0)
    assert len(set(opened)) == 1 and [a.provider_account_id for a in stored] == [opened[0]]
    assert len(connected.links) == 5 and len(connected.accounts) == 1
