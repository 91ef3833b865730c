"""``devforge payouts run``: an operator runs a period now; the same period again pays nobody
twice; a period that is not a month is refused. The sandbox's demo commands make it owe our
webhook ``transfer.reversed`` and ``payout.failed``."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from devforge.adapters.persistence.billing_documents import SqlaLedgerRepository
from devforge.adapters.persistence.engine import make_engine, make_sessionmaker
from devforge.adapters.persistence.migrate import upgrade
from devforge.adapters.persistence.payout_accounts import SqlaPayoutAccountRepository
from devforge.adapters.persistence.tax_profiles import SqlaTaxProfileRepository
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.money import Money
from devforge.domain.billing.payout_account import AccountFacts, PayoutAccount
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_profile import UsEntityType, w9
from devforge.entrypoints.cli.main import main


async def a_payee(url: str, publisher: UUID) -> None:
    engine = make_engine(url)
    old = datetime.now(UTC) - timedelta(days=45)
    try:
        async with make_sessionmaker(engine)() as session:
            amounts = TaxedAmount.of(Money.of(50_000, "USD"), Money.of(0, "USD"))
            sale = ledger_postings.sale(uuid4(), amounts, old, {publisher: Money.of(25_000, "USD")})
            await SqlaLedgerRepository(session).post(sale)
            facts = AccountFacts(old, details_submitted=True, payouts_enabled=True)
            account = PayoutAccount(uuid4(), publisher, "sandbox", "acct_cli", "US", old, facts)
            await SqlaPayoutAccountRepository(session).add(account)
            profile = w9(
                publisher,
                legal_name="Dev",
                entity_type=UsEntityType.INDIVIDUAL,
                tin=None,
                sealed_tin=None,
                address="1 Main St",
                signer_name="Dev",
                at=old,
            )
            await SqlaTaxProfileRepository(session).save(profile)
            await session.commit()
    finally:
        await engine.dispose()


def test_an_operator_runs_a_period_and_running_it_again_pays_nobody_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'devforge.db'}"
    upgrade(url)
    asyncio.run(a_payee(url, uuid4()))
    monkeypatch.setenv("DEVFORGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DEVFORGE_DATABASE_URL", url)
    monkeypatch.setenv("DEVFORGE_PAYMENT_PROVIDER", "sandbox")

    assert main(["payouts", "run", "--period", "2026-12"]) == 0
    assert "payout run 2026-12: 1 paid, 0 skipped, 1 sent, 0 refused" in capsys.readouterr().out
    assert main(["payouts", "run", "--period", "2026-12"]) == 0
    assert "payout run 2026-12: 0 paid, 0 skipped, 0 sent, 0 refused" in capsys.readouterr().out

    # a demo: the sandbox reverses the transfer and owes our webhook transfer.reversed
    with closing(sqlite3.connect(tmp_path / "devforge.db")) as database:
        [transfer] = database.execute("SELECT id FROM payment_sandbox_transfers").fetchall()
    assert main(["payouts", "sandbox-reverse", transfer[0]]) == 0
    assert f"transfer {transfer[0]} reversed" in capsys.readouterr().out
    assert main(["payouts", "sandbox-fail-payout", "acct_cli", "18000", "USD"]) == 0
    with closing(sqlite3.connect(tmp_path / "devforge.db")) as database:
        owed = database.execute("SELECT payload FROM payment_sandbox_events").fetchall()
    types = sorted(json.loads(payload)["type"] for (payload,) in owed)
    assert types == ["payout.failed", "transfer.reversed"]


def test_a_period_that_is_not_a_month_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'devforge.db'}"
    upgrade(url)
    monkeypatch.setenv("DEVFORGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DEVFORGE_DATABASE_URL", url)
    assert main(["payouts", "run", "--period", "2026-13"]) != 0
    assert "period" in capsys.readouterr().err
