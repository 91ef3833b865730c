"""Where transactions, the outbox, the delivery ledger and the mail outbox live: SQL (SQLite or
PostgreSQL) or memory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from devforge.adapters.memory.deliveries import InMemoryDeliveryLedger
from devforge.adapters.memory.mail_outbox import InMemoryMailOutbox
from devforge.adapters.memory.outbox import InMemoryOutbox
from devforge.adapters.memory.store import MemoryStore, Tables
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.persistence.deliveries import SqlaDeliveryLedger
from devforge.adapters.persistence.engine import make_engine, make_sessionmaker
from devforge.adapters.persistence.loop_writes import LoopWrites
from devforge.adapters.persistence.mail_outbox import SqlaMailOutbox
from devforge.adapters.persistence.outbox import SqlaOutbox
from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.unit_of_work import SqlaUnitOfWork
from devforge.application.common.deliveries import DeliveryLedger
from devforge.application.common.mail_outbox import MailOutbox
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.settings import Settings


class SqlaPersistenceProvider(Provider):
    @provide(scope=Scope.APP)
    async def engine(self, settings: Settings) -> AsyncIterator[AsyncEngine]:
        engine = make_engine(settings.database.database_url, pool_size=settings.database.database_pool_size)
        yield engine
        await engine.dispose()

    @provide(scope=Scope.APP)
    def read_path(self, engine: AsyncEngine) -> Iterator[ReadPath]:
        """Plain reads of every context: one statement on a pooled connection (read_path.py)."""
        reads = ReadPath(engine)
        yield reads
        reads.close()

    @provide(scope=Scope.APP)
    def loop_writes(self, engine: AsyncEngine) -> Iterator[LoopWrites]:
        """One-statement writes on the event loop's thread, SQLite files only (loop_writes.py)."""
        writes = LoopWrites(engine)
        yield writes
        writes.close()

    @provide(scope=Scope.APP)
    def sessionmaker(self, engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
        return make_sessionmaker(engine)

    @provide(scope=Scope.REQUEST)
    async def session(self, maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
        """Closed when the scope ends. A session left in a transaction is rolled back under
        ``async with``'s shield (a task of its own: a cancelled request cannot leave its
        connection half-returned). One that holds no connection any more (committed, rolled back,
        or never used: every write use case ends so) is closed in place, which awaits nothing:
        the shielded task cost each such request two more turns of a busy event loop, about a
        seventh of an activation's time in flight at 32 connections (bench/README.md, "Writes")."""
        session = maker()
        try:
            yield session
        finally:
            if session.in_transaction():
                async with session:
                    pass
            else:
                # Nothing to return to the pool, so nothing to await: closed without the trip
                # through a greenlet that ``AsyncSession.close`` takes (about 5 % of a repeat
                # download's CPU in-process, bench/inprocess_request.py --profile).
                session.sync_session.close()

    uow = provide(SqlaUnitOfWork, provides=UnitOfWork, scope=Scope.REQUEST)
    outbox = provide(SqlaOutbox, provides=Outbox, scope=Scope.REQUEST)
    ledger = provide(SqlaDeliveryLedger, provides=DeliveryLedger, scope=Scope.REQUEST)
    mail_outbox = provide(SqlaMailOutbox, provides=MailOutbox, scope=Scope.REQUEST)


class MemoryPersistenceProvider(Provider):
    store = provide(MemoryStore, scope=Scope.APP)

    @provide(scope=Scope.REQUEST)
    async def transaction(self, store: MemoryStore) -> AsyncIterator[InMemoryUnitOfWork]:
        uow = InMemoryUnitOfWork(store)
        yield uow
        await uow.close()

    @provide(scope=Scope.REQUEST)
    def uow(self, transaction: InMemoryUnitOfWork) -> UnitOfWork:
        return transaction

    @provide(scope=Scope.REQUEST)
    def tables(self, transaction: InMemoryUnitOfWork) -> Tables:
        """The request's journaled view, for repositories a test builds from their class."""
        return transaction.store

    @provide(scope=Scope.REQUEST)
    def outbox(self, transaction: InMemoryUnitOfWork) -> Outbox:
        return InMemoryOutbox(transaction.store)

    @provide(scope=Scope.REQUEST)
    def ledger(self, transaction: InMemoryUnitOfWork) -> DeliveryLedger:
        return InMemoryDeliveryLedger(transaction.store)

    @provide(scope=Scope.REQUEST)
    def mail_outbox(self, transaction: InMemoryUnitOfWork) -> MailOutbox:
        return InMemoryMailOutbox(transaction.store)
