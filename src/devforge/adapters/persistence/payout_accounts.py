"""Payout accounts on SQL: one row per publisher (unique), the provider's last facts in columns,
version-checked updates; ``for_update`` locks the row (PostgreSQL), as applying an
``account.updated`` does."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.tables.payout_accounts import billing_payout_accounts as _accounts
from devforge.domain.billing.payout_account import (
    AccountFacts,
    PayoutAccount,
    PayoutAccountChanged,
    PayoutAccountExists,
)


class SqlaPayoutAccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, account: PayoutAccount) -> None:
        """``INSERT ... ON CONFLICT DO NOTHING``, not a savepoint: on SQLite a savepoint opened
        as a transaction's first statement commits when released, so a later rollback would
        keep the row."""
        dialect = self._session.get_bind().dialect.name
        statement = (postgres_insert if dialect == "postgresql" else sqlite_insert)(_accounts)
        result = await self._session.execute(statement.values(_row(account)).on_conflict_do_nothing())
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise PayoutAccountExists("This publisher has a payout account already.", field="publisherId")

    async def get_by_publisher(self, publisher_id: UUID, *, for_update: bool = False) -> PayoutAccount | None:
        return await self._one(_accounts.c.publisher_id == publisher_id, for_update)

    async def get_by_provider_account(
        self, provider_account_id: str, *, for_update: bool = False
    ) -> PayoutAccount | None:
        return await self._one(_accounts.c.provider_account_id == provider_account_id, for_update)

    async def update(self, account: PayoutAccount) -> None:
        result = await self._session.execute(
            update(_accounts)
            .where(_accounts.c.id == account.id, _accounts.c.version == account.version)
            .values(_row(account) | {"version": account.version + 1})
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise PayoutAccountChanged("The payout account changed meanwhile; try again.")
        account.version += 1

    async def _one(self, condition: Any, for_update: bool) -> PayoutAccount | None:
        query = select(_accounts).where(condition)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).mappings().first()
        return _account(row) if row else None


class SqlaPayoutAccountReads:
    """The common read path (``read_path.py``): one statement, no ORM session."""

    def __init__(self, reads: ReadPath) -> None:
        self._by_publisher = reads.prepare(select(_accounts).where(_accounts.c.publisher_id == bindparam("publisher")))
        self._page = reads.prepare(
            select(_accounts)
            .order_by(_accounts.c.created_at, _accounts.c.id)
            .limit(bindparam("limit"))
            .offset(bindparam("offset"))
        )

    async def by_publisher(self, publisher_id: UUID) -> PayoutAccount | None:
        row = await self._by_publisher.row(publisher=publisher_id)
        return _account(row) if row else None

    async def list_all(self, *, limit: int, offset: int) -> list[PayoutAccount]:
        return [_account(row) for row in await self._page.rows(limit=limit, offset=offset)]


def _row(account: PayoutAccount) -> dict[str, Any]:
    facts = account.facts
    return {
        "id": account.id,
        "publisher_id": account.publisher_id,
        "provider": account.provider,
        "provider_account_id": account.provider_account_id,
        "country": account.country,
        "details_submitted": facts.details_submitted,
        "payouts_enabled": facts.payouts_enabled,
        "currently_due": list(facts.currently_due),
        "past_due": list(facts.past_due),
        "disabled_reason": facts.disabled_reason,
        "facts_observed_at": facts.observed_at,
        "created_at": account.created_at,
        "updated_at": account.updated_at,
        "version": account.version,
    }


def _account(row: Any) -> PayoutAccount:
    facts = AccountFacts(
        observed_at=row["facts_observed_at"],
        details_submitted=row["details_submitted"],
        payouts_enabled=row["payouts_enabled"],
        currently_due=_texts(row["currently_due"]),
        past_due=_texts(row["past_due"]),
        disabled_reason=row["disabled_reason"],
    )
    return PayoutAccount(
        id=row["id"],
        publisher_id=row["publisher_id"],
        provider=row["provider"],
        provider_account_id=row["provider_account_id"],
        country=row["country"],
        created_at=row["created_at"],
        facts=facts,
        version=row["version"],
        updated_at=row["updated_at"],
    )


def _texts(value: Any) -> tuple[str, ...]:
    """A JSON list column: decoded by SQLAlchemy, or its text straight from asyncpg (the read path)."""
    return tuple(json.loads(value) if isinstance(value, str) else value)
