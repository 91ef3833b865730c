"""Containers for billing's documents on memory, SQLite or PostgreSQL (a fresh database each)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from dishka import AsyncContainer

from devforge.adapters.memory.billing_documents import InMemoryPaidOrders
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.bootstrap.providers.billing_documents import SqlaBillingDocumentsProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from tests.integration.backends import postgres_database, sqlite_database
from tests.unit.billing.documents_container import documents_container


@asynccontextmanager
async def documents_backend(
    backend: str, folder: Path, orders: InMemoryPaidOrders, gateway: InMemoryPaymentGateway, clock: ManualClock
) -> AsyncIterator[AsyncContainer]:
    if backend == "memory":
        container = documents_container(orders, gateway, clock)
        try:
            yield container
        finally:
            await container.close()
        return
    database = postgres_database() if backend == "postgres" else sqlite_database(folder)
    async with database as url:
        container = documents_container(
            orders, gateway, clock, SqlaPersistenceProvider(), SqlaBillingDocumentsProvider(), database_url=url
        )
        try:
            yield container
        finally:
            await container.close()
