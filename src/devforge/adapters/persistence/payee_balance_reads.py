"""One payee's balance on the common read path (``read_path.py``): what the revenue page and the
developer dashboard show as pending, held and available, read as ``SqlaPayeeBalances.all`` reads
every payee's for the payout run, without an ORM session. Committed postings only (the ledger is
append-only).

Two statements in the common case: the account's total and young sales in one grouped pass over
its entries, and the ledger's dispute transactions; a third per open dispute (rare) for the
payee's credit of the disputed order's sale."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import BigInteger, String, and_, bindparam, case, func, select

from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.tables.billing_documents import (
    billing_ledger_entries,
    billing_ledger_transactions,
)
from devforge.application.billing.payout_run_ports import PayeeBalance
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import Account
from devforge.domain.billing.payee_earnings import balance_of

_ENTRIES, _TRANSACTIONS = billing_ledger_entries, billing_ledger_transactions
_JOINED = _ENTRIES.join(_TRANSACTIONS, _TRANSACTIONS.c.id == _ENTRIES.c.transaction_id)
_ZERO = bindparam("zero", type_=BigInteger)
_ON_ACCOUNT = and_(_ENTRIES.c.account == bindparam("account"), _ENTRIES.c.currency == bindparam("currency"))
_YOUNG_SALE = and_(
    _ENTRIES.c.amount < _ZERO,
    _TRANSACTIONS.c.idempotency_id.like(bindparam("sales", type_=String)),
    _TRANSACTIONS.c.occurred_at > bindparam("matured_before"),
)
_SUMS = (
    select(
        func.sum(_ENTRIES.c.amount).label("total"),
        func.sum(case((_YOUNG_SALE, _ENTRIES.c.amount), else_=_ZERO)).label("pending"),
    )
    .select_from(_JOINED)
    .where(_ON_ACCOUNT)
)
_DISPUTES = select(_TRANSACTIONS.c.idempotency_id).where(
    _TRANSACTIONS.c.idempotency_id.like(bindparam("disputes", type_=String))
)
_SALE_CREDIT = (
    select(func.sum(_ENTRIES.c.amount).label("total"))
    .select_from(_JOINED)
    .where(_ON_ACCOUNT, _ENTRIES.c.amount < _ZERO, _TRANSACTIONS.c.idempotency_id == bindparam("sale"))
)


class PayeeBalanceReads:
    def __init__(self, reads: ReadPath) -> None:
        self._sums, self._disputes = reads.prepare(_SUMS), reads.prepare(_DISPUTES)
        self._sale_credit = reads.prepare(_SALE_CREDIT)

    async def of(self, publisher_id: UUID, currency: Currency, *, now: datetime, hold: timedelta) -> PayeeBalance:
        account = Account.seller_payable(publisher_id).code
        on_account = {"account": account, "currency": currency.code, "zero": 0}
        sums = await self._sums.row(**on_account, sales="sale:%", matured_before=now - hold)
        total = int(sums["total"]) if sums and sums["total"] is not None else 0
        pending = int(sums["pending"]) if sums and sums["pending"] is not None else 0
        held = 0
        for sale in await self._open_dispute_sales():
            credit = await self._sale_credit.row(**on_account, sale=sale)
            held -= int(credit["total"]) if credit and credit["total"] is not None else 0
        return PayeeBalance(publisher_id, balance_of(currency, -total, -pending, held))

    async def _open_dispute_sales(self) -> list[str]:
        opened: set[str] = set()
        closed: set[str] = set()
        for row in await self._disputes.rows(disputes="dispute_%"):
            kind, _, dispute = row["idempotency_id"].partition(":")
            (opened if kind == "dispute_opened" else closed).add(dispute)
        return sorted(f"sale:{dispute}" for dispute in opened - closed)
