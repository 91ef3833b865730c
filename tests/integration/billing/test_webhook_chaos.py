"""The webhook chaos: every order of arrival of a purchase's provider events (payment, refund,
dispute opened, dispute lost), each delivered twice through the real webhook route, ends in the
same order state, license state, ledger and documents, and the dispute, which names only its
payment intent, is matched to its order. The 24 orders of arrival run as 24 purchases in one
app on SQLite; the latest-first one runs on PostgreSQL too.

Before billing read the provider's state on each event, a refund that arrived before its
payment was consumed as "no change" (the payment then applied, and the license stayed valid
with no credit note), and a dispute was ignored (it carries no order metadata), so a lost one
left the license valid."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.application.billing.invoice_ports import CreditNoteRepository, InvoiceRepository, LedgerRepository
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.billing import SqlaBillingProvider
from devforge.bootstrap.providers.billing_documents import SqlaBillingDocumentsProvider
from devforge.bootstrap.providers.identity import SqlaIdentityProvider
from devforge.bootstrap.providers.licensing import SqlaLicensingProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.domain.billing.currency import Currency
from devforge.entrypoints.http.app import create_app
from tests.conftest import manual_clock_provider, settings_for_tests
from tests.integration.backends import postgres_database, sqlite_database
from tests.integration.billing.chaos_world import NOW, STEPS, ChaosWorld, SandboxIsTheProvider, chaos_world

EXPECTED: dict[str, Any] = {
    "order": ("partially_refunded", 3000, False, True),
    "payment": (True, None),
    "licenses": [("REVOKED", 3)],
    "invoice": ("DF", "paid", 9900),
    "credit notes": [("CN", 3000)],
    "ledger": [
        ("dispute_lost:<order>", [("disputes", -6900), ("refunds", 5798), ("tax_payable", 1102)]),
        ("dispute_opened:<order>", [("disputes", 6900), ("processor_clearing", -6900)]),
        ("refund:<refund>", [("processor_clearing", -3000), ("refunds", 2521), ("tax_payable", 479)]),
        ("sale:<order>", [("processor_clearing", 9900), ("revenue", -8319), ("tax_payable", -1581)]),
    ],
    "receipts": 1,
}
ARRIVALS = list(itertools.permutations(STEPS))


@asynccontextmanager
async def world_on(url: str) -> AsyncIterator[ChaosWorld]:
    """The memory container with persistence on ``url``, the sandbox as the provider, an app."""
    clock, settings = ManualClock(NOW), settings_for_tests(database_url=url)
    sql = (
        SqlaPersistenceProvider(),
        SqlaIdentityProvider(),
        SqlaLicensingProvider(),
        SqlaBillingProvider(),
        SqlaBillingDocumentsProvider(),
    )
    container = make_container(
        settings, manual_clock_provider(clock), SandboxIsTheProvider(), *sql, base=memory_providers()
    )
    # The app runs on the test's own loop (no test client thread), so the database pool, the app
    # and the worker's deliveries share one loop, as in a process.
    transport = httpx.ASGITransport(app=create_app(container, settings))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://devforge.test") as client:
            yield await chaos_world(container, settings, clock, client)
    finally:
        await container.close()


@pytest.mark.xdist_group("webhook-chaos")  # 24 purchases: a group of its own beside the rest of the suite
async def test_every_order_of_arrival_delivered_twice_ends_the_same(tmp_path: Path) -> None:
    async with sqlite_database(tmp_path) as url, world_on(url) as world:
        ends = {arrival: await world.play(arrival) for arrival in ARRIVALS}
        async with world.container() as scope:
            balances = await (await scope.get(LedgerRepository)).balances(Currency("EUR"))
            invoices = await (await scope.get(InvoiceRepository)).page(user_id=None, after=None, limit=100)
            notes = [
                note
                for invoice in invoices
                for note in await (await scope.get(CreditNoteRepository)).for_invoice(invoice.id)
            ]
    assert {arrival: end for arrival, end in ends.items() if end != EXPECTED} == {}
    assert len(ends) == 24 and sum(balance.amount_minor for balance in balances.values()) == 0
    # One invoice and one credit note per purchase, numbered without a gap or a duplicate.
    assert sorted(str(invoice.number) for invoice in invoices) == [f"DF-2026-{n:06d}" for n in range(1, 25)]
    assert sorted(str(note.number) for note in notes) == [f"CN-2026-{n:06d}" for n in range(1, 25)]


@pytest.mark.xdist_group("postgres-billing")
async def test_the_latest_first_ends_the_same_on_postgres() -> None:
    async with postgres_database() as url, world_on(url) as world:
        assert await world.play(tuple(reversed(STEPS))) == EXPECTED
        assert await world.play(STEPS) == EXPECTED
