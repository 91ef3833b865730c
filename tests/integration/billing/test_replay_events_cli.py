"""``devforge payments replay-events``: the provider's events since a moment go into the same
inbox as webhooks, once each however often the command runs."""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import uuid4

import pytest

from devforge.adapters.payments.sandbox_payment_gateway import SandboxPaymentGateway
from devforge.adapters.payments.sqla_sandbox_store import SqlaSandboxStore
from devforge.adapters.persistence.engine import make_engine, make_sessionmaker
from devforge.adapters.persistence.loop_writes import LoopWrites
from devforge.adapters.persistence.migrate import upgrade
from devforge.adapters.persistence.read_path import ReadPath
from devforge.application.billing.payment_gateway import CheckoutLine, CheckoutRequest
from devforge.entrypoints.cli.main import main


async def paid_sandbox_checkout(url: str) -> None:
    engine = make_engine(url)
    writes = LoopWrites(engine)
    gateway = SandboxPaymentGateway(
        SqlaSandboxStore(make_sessionmaker(engine), ReadPath(engine), writes), "http://127.0.0.1:8000"
    )
    order_id = uuid4()
    request = CheckoutRequest(
        order_id,
        "EUR",
        (CheckoutLine("Pro", 1000, 1, 0, None),),
        "a@example.com",
        None,
        "http://s",
        "http://c",
        str(order_id),
    )
    session = await gateway.create_checkout(request)
    await gateway.pay(session.session_id)
    writes.close()
    await engine.dispose()


def test_replaying_takes_each_event_in_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'devforge.db'}"
    upgrade(url)
    asyncio.run(paid_sandbox_checkout(url))
    monkeypatch.setenv("DEVFORGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DEVFORGE_DATABASE_URL", url)
    monkeypatch.setenv("DEVFORGE_PAYMENT_PROVIDER", "sandbox")

    assert main(["payments", "replay-events", "--since", "2020-01-01"]) == 0
    assert "2 new event(s) taken in" in capsys.readouterr().out
    assert main(["payments", "replay-events", "--since", "2020-01-01T00:00:00+00:00"]) == 0
    assert "0 new event(s) taken in" in capsys.readouterr().out


def test_a_since_that_is_not_a_date_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["payments", "replay-events", "--since", "yesterday"])
    assert exited.value.code == 2
    assert "not an ISO 8601 date or time" in capsys.readouterr().err
