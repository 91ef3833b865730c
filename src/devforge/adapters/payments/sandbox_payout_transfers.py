"""The embedded sandbox's transfers to connected accounts, kept in the app database in their own
short transactions (the sandbox stands in for the provider's database, never the caller's unit
of work). The same idempotency key answers the same transfer, as Stripe's does.

For tests and demos, as Stripe's test mode does with magic values: a destination whose id
contains ``refuse`` is refused (``TransferRefused``); ``reverse`` takes a transfer back and owes
our webhook a signed ``transfer.reversed``; ``fail_payout`` plays the connected account's bank
refusing its payout (``payout.failed`` with ``account``). The events go out through the
sandbox's webhook dispatcher like its payment events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devforge.adapters.payments.sandbox_events import event, new_id, stripe_units
from devforge.adapters.payments.sqla_sandbox_store import _unavailable_when_down
from devforge.adapters.persistence.engine import dialect_of
from devforge.adapters.persistence.tables.payments_sandbox import payment_sandbox_events, payment_sandbox_transfers
from devforge.application.billing.payout_run_ports import ProviderTransfer, TransferRefused, TransferRequest
from devforge.domain.billing.money import Money

_transfers = payment_sandbox_transfers


def _now() -> datetime:
    return datetime.now(UTC)


class SandboxPayoutTransfers:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], now: Callable[[], datetime] = _now) -> None:
        self._maker, self._now = sessionmaker, now

    async def create(self, request: TransferRequest) -> ProviderTransfer:
        if "refuse" in request.destination:
            raise TransferRefused(f"The sandbox refuses transfers to {request.destination}.")
        transfer_id = new_id("tr")
        row = {
            "id": transfer_id,
            "idempotency_key": request.idempotency_key,
            "destination": request.destination,
            "amount": request.amount.amount_minor,
            "currency": request.amount.currency.code,
            "transfer_group": request.transfer_group,
            "reversed": 0,
            "created_at": self._now(),
        }
        with _unavailable_when_down():
            async with self._maker() as db, db.begin():
                make = _insert(db)(_transfers).values(row).on_conflict_do_nothing(index_elements=["idempotency_key"])
                made = await db.execute(make)
        if made.rowcount:  # type: ignore[attr-defined]  # one statement for a new transfer
            return ProviderTransfer(transfer_id, request.destination, request.amount)
        found = await self._by_key(request.idempotency_key)  # the key was used: its transfer
        assert found is not None
        return found

    async def get(self, transfer_id: str) -> ProviderTransfer | None:
        return await self._one(_transfers.c.id == transfer_id)

    async def reverse(self, transfer_id: str, idempotency_key: str) -> ProviderTransfer:
        """Takes the whole transfer back, once; a transfer already reversed is answered as it is."""
        with _unavailable_when_down():
            async with self._maker() as db, db.begin():
                row = (await db.execute(select(_transfers).where(_transfers.c.id == transfer_id))).mappings().one()
                if row["reversed"] == 0:
                    await db.execute(
                        update(_transfers).where(_transfers.c.id == transfer_id).values(reversed=row["amount"])
                    )
                    reversed_row = dict(row) | {"reversed": row["amount"]}
                    owed = event("transfer.reversed", _stripe_transfer(reversed_row), self._now())
                    await db.execute(insert(payment_sandbox_events).values(asdict(owed)))
        found = await self.get(transfer_id)
        assert found is not None
        return found

    async def fail_payout(self, account_id: str, amount: Money) -> str:
        """The connected account's bank refuses its payout of ``amount``: ``payout.failed``."""
        payout = {
            "id": new_id("po"),
            "object": "payout",
            "amount": stripe_units(amount.amount_minor, amount.currency.code),
            "currency": amount.currency.code.lower(),
            "status": "failed",
            "failure_code": "account_closed",
        }
        owed = event("payout.failed", payout, self._now())
        owed.payload["account"] = account_id
        with _unavailable_when_down():
            async with self._maker() as db, db.begin():
                await db.execute(insert(payment_sandbox_events).values(asdict(owed)))
        return str(payout["id"])

    async def _by_key(self, key: str) -> ProviderTransfer | None:
        return await self._one(_transfers.c.idempotency_key == key)

    async def _one(self, condition: Any) -> ProviderTransfer | None:
        with _unavailable_when_down():
            async with self._maker() as db:
                row = (await db.execute(select(_transfers).where(condition))).mappings().first()
        if row is None:
            return None
        amount = Money.of(int(row["amount"]), row["currency"])
        return ProviderTransfer(row["id"], row["destination"], amount, reversed=row["reversed"] > 0)


def _insert(db: AsyncSession) -> Any:
    return pg_insert if dialect_of(db) == "postgresql" else sqlite_insert


def _stripe_transfer(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "object": "transfer",
        "amount": stripe_units(row["amount"], row["currency"]),
        "amount_reversed": stripe_units(row["reversed"], row["currency"]),
        "currency": row["currency"].lower(),
        "destination": row["destination"],
        "transfer_group": row["transfer_group"],
        "reversed": row["reversed"] > 0,
    }
