"""Must-show (issue 14): a seeded tax year with payees above, below and exactly at each threshold,
over HTTP on SQLite and on PostgreSQL. Exactly the expected payees are in the 1099-K, 1099-NEC and
DAC7 exports; no TIN appears unmasked in any answer or log line, nor in plain text anywhere in
the database (every row of every table, and on SQLite the database files themselves).

Payees certify their forms over HTTP (the TIN goes the real way); service payments are recorded
over HTTP by a billing admin; sales are seeded as paid orders with their ledger postings (what
checkout and the payment webhook leave behind), one transaction per order."""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.ports import OrderRepository
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order, OrderLine, OrderStatus
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.identity.roles import Role
from devforge.entrypoints.http.app import create_app
from devforge.entrypoints.logging import configure_logging
from tests.access_world import add_account, start_session
from tests.conftest import settings_for_tests
from tests.integration.backends import postgres_database, sqlite_database
from tests.integration.http.authentication_steps import bearer

YEAR = 2026
START, END = datetime(YEAR, 1, 1, tzinfo=UTC), datetime(YEAR + 1, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Payee:
    name: str
    form: dict[str, Any]
    sales: int = 0
    total_minor: int = 0  # what the payee's lines grossed (USD) or its share (EUR) over the year
    currency: str = "USD"
    services_minor: int = 0
    tin: str | None = None


def w9(tin: str, kind: str = "ssn", entity: str = "individual") -> dict[str, Any]:
    return {"form": "w9", "entityType": entity, "tinType": kind, "tin": tin}


def w8(country: str, form: str = "w8ben", entity: str | None = None) -> dict[str, Any]:
    return {"form": form, "country": country} | ({"entityType": entity} if entity else {})


PAYEES = [
    Payee("kover", w9("123-45-6701"), 201, 2_000_001, tin="123-45-6701"),  # 1099-K: over both
    Payee("katgross", w9("12-3456702", "ein", "llc"), 201, 2_000_000, tin="12-3456702"),  # exactly $20,000
    Payee("katcount", w9("123-45-6703"), 200, 2_500_000, tin="123-45-6703"),  # exactly 200 transactions
    Payee("necat", w9("123-45-6704"), services_minor=200_000, tin="123-45-6704"),  # exactly $2,000: in
    Payee("necbelow", w9("98-7654705", "ein", "c_corporation"), services_minor=199_999, tin="98-7654705"),
    Payee("dacount", w8("DE"), 30, 3_000, "EUR"),  # exactly 30 sales: in
    Payee("dacbelow", w8("FR", "w8ben_e", "corporation"), 29, 199_999, "EUR"),  # under both: out
    Payee("dacamount", w8("IT"), 5, 200_000, "EUR"),  # exactly EUR 2,000: in
    Payee("dacswiss", w8("CH"), 40, 900_000, "EUR"),  # not an EU member state: out
]
EXPECTED = {"1099-k": {"kover"}, "1099-nec": {"necat"}, "dac7": {"dacount", "dacamount"}}


def paid_order(publisher: UUID, gross: Money, at: datetime) -> Order:
    amounts = TaxedAmount.of(gross, Money.zero(gross.currency))
    line = OrderLine("ext", "Lint", None, BillingInterval.ONE_TIME, gross, 1, amounts, publisher, 3000)
    return Order(
        id=uuid4(),
        user_id=uuid4(),
        email="buyer@example.com",
        currency=gross.currency,
        lines=(line,),
        total=amounts,
        prices_include_tax=True,
        tax_country="US",
        tax_region="CA",
        vat_id=None,
        reverse_charge=False,
        tax_quote_id="q",
        created_at=at,
        updated_at=at,
        status=OrderStatus.PAID,
        paid_at=at,
    )


async def seed_sales(container: AsyncContainer, publisher: UUID, payee: Payee) -> None:
    """``payee.sales`` paid orders spread over the year summing to ``total_minor``, and a sale on
    either side of the year that must not count."""
    currency = Currency.of(payee.currency)
    base, rest = divmod(payee.total_minor, payee.sales)
    moments = [START + timedelta(days=i % 365, hours=1) for i in range(payee.sales)]
    amounts = [base + (1 if i < rest else 0) for i in range(payee.sales)]
    moments += [START - timedelta(seconds=1), END]
    amounts += [10_000_000, 10_000_000]
    async with container() as scope:
        orders, ledger = await scope.get(OrderRepository), await scope.get(LedgerRepository)
        for at, minor in zip(moments, amounts, strict=True):
            gross = Money(minor, currency)
            share = gross if currency.code == "EUR" else Money(minor * 7 // 10, currency)
            order = paid_order(publisher, gross, at)
            await orders.add(order)
            await ledger.post(ledger_postings.sale(order.id, order.total, at, {publisher: share}))
        await (await scope.get(UnitOfWork)).commit()


async def developer(container: AsyncContainer, name: str) -> dict[str, str]:
    user_id = await add_account(container, f"{name}@{name}.example", Role.DEVELOPER)
    return bearer((await start_session(container, user_id, Role.DEVELOPER))[0])


async def a_publisher(client: AsyncTestClient, auth: dict[str, str], name: str) -> str:
    created = await client.post("/api/publishers", json={"namespace": name, "displayName": name.title()}, headers=auth)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def signed_in(container: AsyncContainer, email: str, role: Role) -> dict[str, str]:
    user_id = await add_account(container, email, role, two_factor=True)
    return bearer((await start_session(container, user_id, role))[0])


def payees_in(text: str, column: str, names: dict[str, str]) -> set[str]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return {names[row[column]] for row in rows}


async def database_dump(url: str) -> str:
    """Every row of every table, as text."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            parts = []
            for table in metadata.sorted_tables:
                rows = (await connection.execute(select(table))).all()
                parts.append(f"{table.name}: {rows!r}")
            return "\n".join(parts)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_a_seeded_tax_year_reports_exactly_the_expected_payees_and_never_a_tin(
    backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("debug", "json")
    database = postgres_database() if backend == "postgres" else sqlite_database(tmp_path)
    answers: list[str] = []
    async with database as url:
        settings = settings_for_tests(database_url=url, data_dir=str(tmp_path))
        if backend == "sqlite":
            await asyncio.to_thread(migrate, settings)
        # The app runs on the test client's own event loop: the test seeds through a container of
        # its own (the same database), so no connection crosses loops.
        container, seeder = make_container(settings), make_container(settings)
        try:
            finance = await signed_in(seeder, "finance@example.com", Role.FINANCE)
            admin = await signed_in(seeder, "admin@example.com", Role.ADMIN)
            developers = {payee.name: await developer(seeder, payee.name) for payee in [*PAYEES, Payee("nosy", {})]}
            async with AsyncTestClient(app=create_app(container, settings)) as client:
                names: dict[str, str] = {}
                for payee in PAYEES:
                    auth = developers[payee.name]
                    publisher_id = await a_publisher(client, auth, payee.name)
                    names[publisher_id] = payee.name
                    body = {"publisherId": publisher_id, "name": payee.name.title(), "address": "1 Main St"}
                    body |= {"signerName": payee.name.title()} | payee.form
                    if payee.tin:  # a real TIN in a refused form is neither echoed nor logged
                        refused = await client.put(
                            "/api/payments/tax-profile",
                            json=body | {"entityType": "c_corporation", "tinType": "ssn", "tin": payee.tin},
                            headers=auth,
                        )
                        answers.append(refused.text)
                        assert refused.status_code == 422, refused.text
                    certified = await client.put("/api/payments/tax-profile", json=body, headers=auth)
                    answers.append(certified.text)
                    assert certified.status_code == 200, certified.text
                    if payee.sales:
                        await seed_sales(seeder, UUID(publisher_id), payee)
                    if payee.services_minor:
                        paid = {
                            "paymentId": str(uuid4()),
                            "publisherId": publisher_id,
                            "amount": payee.services_minor,
                            "currency": "USD",
                            "description": "Port of the theme",
                        }
                        for _ in range(2):  # recorded twice: posted once
                            recorded = await client.post("/api/payments/service-payments", json=paid, headers=admin)
                            assert recorded.status_code == 201, recorded.text

                base = f"/api/payments/tax-reports/{YEAR}"
                exports = {}
                for report in ("1099-k", "1099-nec", "dac7"):
                    answer = await client.get(f"{base}/{report}.csv", headers=finance)
                    answers.append(answer.text)
                    assert answer.status_code == 200, answer.text
                    assert answer.headers["content-type"].startswith("text/csv")
                    exports[report] = answer.text
                    column = "publisher_id"
                    assert payees_in(answer.text, column, names) == EXPECTED[report], report

                [k] = list(csv.DictReader(io.StringIO(exports["1099-k"])))
                assert k["box_1a_gross_amount"] == "20000.01" and k["box_3_number_of_transactions"] == "201"
                assert k["tin_masked"] == "***-**-6701"
                months = [k[column] for column in k if column.startswith("box_5")]
                assert len(months) == 12 and sum(int(m.replace(".", "")) for m in months) == 2_000_001
                [nec] = list(csv.DictReader(io.StringIO(exports["1099-nec"])))
                assert nec["box_1_nonemployee_compensation"] == "2000.00"  # recorded twice, posted once
                dac7 = {names[row["publisher_id"]]: row for row in csv.DictReader(io.StringIO(exports["dac7"]))}
                assert dac7["dacount"]["number_of_activities"] == "30"
                assert dac7["dacamount"]["consideration_eur"] == "2000.00"

                kover = next(pid for pid, name in names.items() if name == "kover")
                pdf = await client.get(f"{base}/1099-k/{kover}.pdf", headers=finance)
                assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
                nec_pdf = next(pid for pid, name in names.items() if name == "necat")
                assert (await client.get(f"{base}/1099-nec/{nec_pdf}.pdf", headers=finance)).status_code == 200
                not_reportable = next(pid for pid, name in names.items() if name == "katgross")
                assert (await client.get(f"{base}/1099-k/{not_reportable}.pdf", headers=finance)).status_code == 404

                # the payee's owner downloads its own copy; another developer's is 404, as if none
                own = f"/api/payments/tax-profile/forms/{YEAR}"
                mine = await client.get(f"{own}/1099-k.pdf", params={"publisherId": kover}, headers=developers["kover"])
                # the same document as finance's (rendered anew: only its dates may differ, at the same width)
                assert mine.status_code == 200 and mine.content.startswith(b"%PDF")
                assert len(mine.content) == len(pdf.content)
                theirs = await client.get(
                    f"{own}/1099-k.pdf", params={"publisherId": kover}, headers=developers["nosy"]
                )
                assert theirs.status_code == 404, theirs.text
                nec_own = await client.get(
                    f"{own}/1099-nec.pdf", params={"publisherId": nec_pdf}, headers=developers["necat"]
                )
                assert nec_own.status_code == 200 and nec_own.content.startswith(b"%PDF")
                not_mine = await client.get(
                    f"{own}/1099-k.pdf", params={"publisherId": not_reportable}, headers=developers["katgross"]
                )
                assert not_mine.status_code == 404  # not reportable that year
                bad = await client.get(f"{own}/1099-x.pdf", params={"publisherId": kover}, headers=developers["kover"])
                assert bad.status_code == 400 and "form" in bad.text

                # finance's only: a developer (no finance:read) is refused; an unknown year is 404
                nosy = developers["nosy"]
                assert (await client.get(f"{base}/1099-k.csv", headers=nosy)).status_code == 403
                unknown = await client.get("/api/payments/tax-reports/2019/dac7.csv", headers=finance)
                assert unknown.status_code == 404, unknown.text
        finally:
            await container.close()
            await seeder.close()
        dump = await database_dump(url)
        if backend == "sqlite":
            dump += "".join(path.read_bytes().decode("latin-1") for path in tmp_path.rglob("*") if path.is_file())
    logged = capsys.readouterr()
    everything = "\n".join([*answers, dump, logged.out, logged.err])
    assert "tax_profiles" in dump and "v1." in dump  # the dump holds the sealed TINs
    for payee in PAYEES:
        if payee.tin:
            digits = payee.tin.replace("-", "")
            assert digits not in everything and payee.tin not in everything, payee.name
    assert "***-**-6701" in "\n".join(answers)
