"""The sandbox's connected accounts in SQL, in its own short transactions on the app's engine
(never the caller's unit of work): a step and its ``account.updated`` event are one transaction,
and a step is a conditional UPDATE (from the step read), so a double click moves once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devforge.adapters.payments.sandbox_accounts import SandboxAccountRecord
from devforge.adapters.payments.sandbox_store import SandboxEventRecord
from devforge.adapters.persistence.tables.payments_sandbox import payment_sandbox_events as _events
from devforge.adapters.persistence.tables.payout_accounts import payment_sandbox_accounts as _accounts
from devforge.application.billing.payment_gateway import PaymentProviderUnavailable


class SqlaSandboxAccountStore:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._maker = sessionmaker

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        try:
            async with self._maker() as session, session.begin():
                yield session
        except IntegrityError:
            raise
        except (DBAPIError, OSError, TimeoutError) as error:
            raise PaymentProviderUnavailable(f"sandbox store unavailable: {type(error).__name__}") from error

    async def add_account(self, account: SandboxAccountRecord) -> SandboxAccountRecord:
        try:
            async with self._transaction() as db:
                await db.execute(insert(_accounts).values(asdict(account)))
            return account
        except IntegrityError:
            async with self._transaction() as db:
                query = select(_accounts).where(_accounts.c.idempotency_key == account.idempotency_key)
                return _account((await db.execute(query)).mappings().one())

    async def get_account(self, account_id: str) -> SandboxAccountRecord | None:
        async with self._transaction() as db:
            row = (await db.execute(select(_accounts).where(_accounts.c.id == account_id))).mappings().first()
        return _account(row) if row else None

    async def set_links(self, account_id: str, return_url: str, refresh_url: str) -> None:
        async with self._transaction() as db:
            await db.execute(
                update(_accounts)
                .where(_accounts.c.id == account_id)
                .values(return_url=return_url, refresh_url=refresh_url)
            )

    async def move_account(self, account_id: str, from_step: str, to_step: str, event: SandboxEventRecord) -> bool:
        async with self._transaction() as db:
            moved = await db.execute(
                update(_accounts)
                .where(_accounts.c.id == account_id, _accounts.c.step == from_step)
                .values(step=to_step, updated_at=event.created_at)
            )
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                return False
            await db.execute(insert(_events).values(asdict(event)))
        return True


def _account(row: Any) -> SandboxAccountRecord:
    return SandboxAccountRecord(**dict(row))
