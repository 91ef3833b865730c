"""The ``ConnectedAccounts`` contract (the provider's side of payout accounts), on every adapter:
memory, the sandbox (on a memory store, SQLite and PostgreSQL) and Stripe Connect (the SDK
against the local fake of its API on a real socket). Each backend plays its provider's onboarding
its own way (the test sets the facts, the sandbox's page, Stripe's dashboard); what the adapter
reads back must be the same."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from devforge.adapters.payments.memory_connected_accounts import InMemoryConnectedAccounts
from devforge.adapters.payments.memory_sandbox_accounts import InMemorySandboxAccountStore
from devforge.adapters.payments.memory_sandbox_store import InMemorySandboxStore
from devforge.adapters.payments.sandbox_accounts import SandboxConnectedAccounts
from devforge.adapters.payments.sqla_sandbox_accounts import SqlaSandboxAccountStore
from devforge.adapters.payments.stripe_connected_accounts import StripeConnectedAccounts
from devforge.adapters.payments.stripe_payment_gateway import make_stripe_client
from devforge.adapters.persistence.engine import make_engine, make_sessionmaker
from devforge.application.billing.payment_gateway import PaymentProviderUnavailable
from devforge.application.billing.payout_account_ports import ConnectedAccounts, NewConnectedAccount
from tests.fakes.stripe_server import FakeStripe, running_stripe
from tests.integration.backends import postgres_database, sqlite_database

pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning")

ADAPTERS = ("memory", "sandbox-memory", "sandbox-sqlite", "sandbox-postgres", "stripe")
DUE = ("individual.verification.document", "external_account")
Step = Callable[[str], Awaitable[None]]


@dataclass
class Provider:
    """The adapter, and the provider's onboarding played from outside: the details submitted
    (payouts disabled, a document and a bank account past due), then everything given (payouts
    enabled), then the provider asking for more; and an adapter whose provider is gone."""

    accounts: ConnectedAccounts
    submit: Step
    enable: Step
    ask_more: Step
    gone: Callable[[], Awaitable[ConnectedAccounts]]


@pytest.fixture(scope="module")
def stripe_fake() -> Iterator[FakeStripe]:
    with running_stripe() as fake:
        yield fake


@pytest.fixture(params=ADAPTERS)
async def provider(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Provider]:
    async with AsyncExitStack() as stack:
        yield await _provider(request, request.param, stack, tmp_path)


async def _provider(request: pytest.FixtureRequest, kind: str, stack: AsyncExitStack, tmp_path: Path) -> Provider:
    if kind == "memory":
        memory = InMemoryConnectedAccounts()

        async def submit(account: str) -> None:
            memory.set_facts(account, details_submitted=True, currently_due=DUE, past_due=DUE)

        async def enable(account: str) -> None:
            memory.set_facts(account, payouts_enabled=True, currently_due=(), past_due=())

        async def ask_more(account: str) -> None:
            memory.set_facts(account, payouts_enabled=False, currently_due=DUE, past_due=DUE)

        async def memory_gone() -> ConnectedAccounts:
            memory.unavailable = True
            return memory

        return Provider(memory, submit, enable, ask_more, memory_gone)
    if kind == "stripe":
        fake: FakeStripe = request.getfixturevalue("stripe_fake")
        client = make_stripe_client(fake.api_key, fake.base_url, timeout=timedelta(milliseconds=500), retries=0)
        due = {"currently_due": list(DUE), "past_due": list(DUE), "disabled_reason": "requirements.past_due"}

        async def stripe_submit(account: str) -> None:
            fake.update_account(account, details_submitted=True, requirements=due)

        async def stripe_enable(account: str) -> None:
            fake.update_account(account, payouts_enabled=True, requirements={"currently_due": [], "past_due": []})

        async def stripe_more(account: str) -> None:
            fake.update_account(account, payouts_enabled=False, requirements=due)

        async def stripe_gone() -> ConnectedAccounts:
            fake.fail_next = 503
            return StripeConnectedAccounts(client)

        return Provider(StripeConnectedAccounts(client), stripe_submit, stripe_enable, stripe_more, stripe_gone)
    if kind == "sandbox-memory":
        events = InMemorySandboxStore()
        sandbox = SandboxConnectedAccounts(InMemorySandboxAccountStore(events), "http://shop.test")

        async def memory_store_gone() -> ConnectedAccounts:
            events.unavailable = True
            return sandbox

        return _sandbox(sandbox, memory_store_gone)
    database = postgres_database() if kind == "sandbox-postgres" else sqlite_database(tmp_path)
    url = await stack.enter_async_context(database)
    engine = make_engine(url)
    stack.push_async_callback(engine.dispose)
    sandbox = SandboxConnectedAccounts(SqlaSandboxAccountStore(make_sessionmaker(engine)), "http://shop.test")

    async def database_gone() -> ConnectedAccounts:
        broken = (
            "postgresql+asyncpg://nobody@127.0.0.1:1/nothing"
            if kind == "sandbox-postgres"
            else f"sqlite+aiosqlite:///{tmp_path / 'not-migrated.db'}"  # its tables are missing
        )
        dead = create_async_engine(broken)
        stack.push_async_callback(dead.dispose)
        return SandboxConnectedAccounts(SqlaSandboxAccountStore(make_sessionmaker(dead)), "http://shop.test")

    return _sandbox(sandbox, database_gone)


def _sandbox(sandbox: SandboxConnectedAccounts, gone: Callable[[], Awaitable[ConnectedAccounts]]) -> Provider:
    """The sandbox's own onboarding page takes the steps."""

    async def advance(account: str) -> None:
        await sandbox.advance(account)

    async def restrict(account: str) -> None:
        await sandbox.restrict(account)

    return Provider(sandbox, advance, advance, restrict, gone)


def opening(key: str | None = None) -> NewConnectedAccount:
    publisher = uuid4()
    return NewConnectedAccount(publisher, "DE", "owner@example.com", key or f"payout-account-{publisher}")


async def test_the_same_key_opens_one_account_and_another_key_another(provider: Provider) -> None:
    request = opening()
    first = await provider.accounts.create(request)
    assert await provider.accounts.create(request) == first
    assert await provider.accounts.create(opening()) != first


async def test_a_new_account_has_nothing_submitted_and_its_requirements_due(provider: Provider) -> None:
    account = await provider.accounts.create(opening())
    facts = await provider.accounts.facts(account)
    assert facts is not None and facts.account_id == account
    assert (facts.details_submitted, facts.payouts_enabled) == (False, False)
    assert "external_account" in facts.currently_due
    assert await provider.accounts.facts(f"acct_unknown_{uuid4().hex[:10]}") is None


async def test_an_onboarding_link_is_an_address_for_the_account(provider: Provider) -> None:
    account = await provider.accounts.create(opening())
    link = await provider.accounts.onboarding_link(account, "https://shop.test/done", "https://shop.test/again")
    assert link.startswith(("https://", "http://"))


async def test_onboarding_reads_back_restricted_then_enabled_then_restricted_again(provider: Provider) -> None:
    account = await provider.accounts.create(opening())
    await provider.accounts.onboarding_link(account, "https://shop.test/done", "https://shop.test/again")
    await provider.submit(account)
    submitted = await provider.accounts.facts(account)
    assert submitted is not None and (submitted.details_submitted, submitted.payouts_enabled) == (True, False)
    assert set(submitted.past_due) == set(DUE)
    await provider.enable(account)
    enabled = await provider.accounts.facts(account)
    assert enabled is not None and enabled.payouts_enabled and enabled.currently_due == enabled.past_due == ()
    assert enabled.disabled_reason is None
    await provider.ask_more(account)
    again = await provider.accounts.facts(account)
    assert again is not None and not again.payouts_enabled and again.details_submitted and again.past_due


async def test_a_provider_that_is_gone_is_unavailable_not_an_answer(provider: Provider) -> None:
    gone = await provider.gone()
    with pytest.raises(PaymentProviderUnavailable):
        await gone.create(opening())
