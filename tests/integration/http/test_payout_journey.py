"""Issue 14's end-to-end journey over HTTP in the embedded profile (SQLite on disk, the sandbox
provider, the worker's jobs and the clock driven by hand): two developers each verify their
publisher's domain (DNS TXT), walk the sandbox's payout onboarding to enabled, certify a tax
profile and price an extension; a customer buys both extensions in one checkout; each developer's
revenue shows its share pending; after the payout hold the worker's payout run transfers each
seller exactly its floored 70 % of the line's net through the sandbox and the ledger's
``seller_payable`` accounts are at 0; the statement's JSON, CSV and PDF equal the ledger to the
cent; a full refund after the payout leaves both balances negative, the next run skips both
(``negative_balance``), and after a later sale and its hold the run pays that seller only the
excess while the other, still negative, is skipped again.

Only the clock (``ManualClock``), the DNS table (the embedded profile's ``StaticTxtResolver``),
the worker (webhook dispatch, the outbox, ``run_due_payouts``) and the read-backs of the
sandbox's transfers and the ledger are driven outside HTTP."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from litestar.testing import AsyncTestClient

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.dns_resolver import StaticTxtResolver
from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.sandbox_webhook_dispatcher import SandboxWebhookDispatcher
from devforge.application.billing.payout_run_ports import PayoutTransfers
from devforge.bootstrap.billing_seed import seed_editor_plans
from devforge.bootstrap.container import make_container
from devforge.bootstrap.contexts.billing import run_due_payouts
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.providers.payments import webhook_secrets, webhook_url
from devforge.bootstrap.settings.billing import BillingSettings
from devforge.domain.billing.money import Money
from devforge.domain.identity.roles import Role
from devforge.entrypoints.http.app import create_app
from tests.access_world import add_account, start_session
from tests.conftest import manual_clock_provider, settings_for_tests
from tests.integration.http.authentication_steps import bearer
from tests.integration.http.test_extension_sales_journey import (
    developer_with_a_paid_extension,
    ledger_balances,
    seller,
    share_of,
)
from tests.integration.http.test_purchase_to_refund_journey import deliver_webhooks
from tests.integration.http.test_tax_profile_api import w9
from tests.unit.billing.test_invoice_pdf import page_text

ACCOUNT = "/api/payments/payouts/account"
W8BEN = {
    "form": "w8ben",
    "name": "Hank Scorpio",
    "country": "DE",
    "address": "Friedrichstr. 1, 10117 Berlin",
    "signerName": "Hank Scorpio",
}
SUMMARY = (  # the CSV's summary rows, after a row per ledger transaction
    "opening_balance",
    "sales",
    "refunds",
    "chargebacks",
    "fees",
    "commission",
    "tax_withheld",
    "adjustments",
    "payouts",
    "closing_balance",
)
PRICES = {"acme": 24_900, "globex": 39_900}  # EUR, tax included; each share clears the EUR 100 minimum


def next_month_start(moment: datetime) -> datetime:
    return (moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0) + timedelta(days=32)).replace(day=1)


def major(minor: int) -> str:
    sign = "-" if minor < 0 else ""
    return f"{sign}{abs(minor) // 100}.{abs(minor) % 100:02d}"


async def verify_publisher(client: AsyncTestClient, dns: StaticTxtResolver, dev: dict[str, Any], domain: str) -> None:
    path = f"/api/publishers/{dev['publisher_id']}/verification"
    started = await client.post(path, json={"domain": domain}, headers=dev["auth"])
    assert started.status_code == 200, started.text
    record = started.json()["verificationRecord"]
    too_soon = await client.post(f"{path}/check", headers=dev["auth"])  # nothing published yet
    assert (too_soon.status_code, too_soon.json()["code"]) == (422, "domain_verification_failed"), too_soon.text
    dns.set(record["name"], [record["value"]])
    checked = await client.post(f"{path}/check", headers=dev["auth"])
    assert checked.status_code == 200, checked.text
    assert (checked.json()["verified"], checked.json()["domain"]) == (True, domain)


async def onboard(
    client: AsyncTestClient,
    dispatcher: SandboxWebhookDispatcher,
    container: Any,
    clock: ManualClock,
    dev: dict[str, Any],
    country: str,
) -> str:
    """The sandbox's onboarding page walked to enabled; each step reaches us by its signed webhook.
    The developer takes a minute per step (facts read back at the instant of the kept ones are
    not newer, so a clock standing still would keep the first)."""
    body = {"publisherId": dev["publisher_id"], "country": country}
    opened = await client.post(ACCOUNT, json=body, headers=dev["auth"])
    assert opened.status_code == 200, opened.text
    page = urlsplit(opened.json()["onboardingUrl"]).path
    for expected in ("restricted", "enabled"):
        clock.advance(timedelta(minutes=1))
        assert (await client.post(f"{page}/advance", follow_redirects=False)).status_code == 303
        assert await deliver_webhooks(dispatcher, container) == 1
        state = await client.get(ACCOUNT, params={"publisherId": dev["publisher_id"]}, headers=dev["auth"])
        assert state.json()["state"] == expected, state.text
    assert state.json()["payoutsEnabled"] is True and state.json()["requirements"] == []
    return str(opened.json()["account"]["accountId"])


async def price(client: AsyncTestClient, dev: dict[str, Any], amount: int) -> str:
    body = {
        "policyId": dev["policy_id"],
        "prices": [{"currency": "EUR", "interval": "one_time", "amount": amount, "taxInclusive": True}],
    }
    priced = await client.put(f"/api/extensions/{dev['extension_id']}/prices", json=body, headers=dev["auth"])
    assert priced.status_code == 200, priced.text
    return str(priced.json()["productCode"])


async def buy(
    client: AsyncTestClient, dispatcher: SandboxWebhookDispatcher, container: Any, buyer: Any, items: list[Any]
) -> dict[str, Any]:
    cart = {"currency": "EUR", "country": "DE", "items": items}
    checkout = await client.post("/api/payments/checkout", json=cart, headers=buyer)
    assert checkout.status_code == 201, checkout.text
    order: dict[str, Any] = checkout.json()
    assert (await client.post(f"{urlsplit(order['redirectUrl']).path}/pay", follow_redirects=False)).status_code == 303
    await deliver_webhooks(dispatcher, container)
    shown = await client.get(f"/api/payments/orders/{order['id']}", headers=buyer)
    assert shown.json()["status"] == "paid", shown.text
    return order


async def revenue(client: AsyncTestClient, dev: dict[str, Any]) -> dict[str, Any]:
    answer = await client.get("/api/payments/revenue", params={"publisherId": dev["publisher_id"]}, headers=dev["auth"])
    assert answer.status_code == 200, answer.text
    [eur] = answer.json()["currencies"]
    return dict(eur)


async def payouts(client: AsyncTestClient, dev: dict[str, Any]) -> dict[str, Any]:
    answer = await client.get("/api/payments/payouts", params={"publisherId": dev["publisher_id"]}, headers=dev["auth"])
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def owed(container: Any, dev: dict[str, Any]) -> int:
    """What the ledger says the platform owes the developer (negative: the developer owes)."""
    return -(await ledger_balances(container))[seller(dev)].amount_minor


async def test_verify_onboard_sell_pay_out_refund_and_pay_back(tmp_path: Path) -> None:
    # the clock starts ahead of the real one (the sandbox queues its events at the real time)
    start = next_month_start(datetime.now(UTC)).replace(hour=9)
    clock = ManualClock(start)
    settings = settings_for_tests(profile="embedded", data_dir=str(tmp_path))
    await asyncio.to_thread(migrate, settings)
    container = make_container(settings, manual_clock_provider(clock))  # the test runs the worker's jobs itself
    app = create_app(container, settings)
    await seed_editor_plans(container)
    dispatcher = SandboxWebhookDispatcher(
        await container.get(SandboxStore),
        webhook_url(settings),
        webhook_secrets(settings)[0],
        transport=httpx.ASGITransport(app=app),
        now=clock.now,  # signed at our clock's time, as the webhook checks it
    )
    dns = await container.get(StaticTxtResolver)
    hold = timedelta(days=settings.section(BillingSettings).payout_hold_days)
    developers: dict[str, dict[str, Any]] = {}

    async def sessions_again() -> None:
        """The clock moved past the sessions' lifetime: everyone signs in again."""
        for dev in developers.values():
            dev["auth"] = bearer((await start_session(container, dev["user_id"], Role.DEVELOPER))[0])

    try:
        async with AsyncTestClient(app=app) as client:
            # each developer: a verified publisher, onboarded in the sandbox, a tax form, a priced extension
            accounts, codes = {}, {}
            for name, country, tax_form in (
                ("acme", "US", w9("")),
                ("globex", "DE", W8BEN),
            ):
                dev = developers[name] = await developer_with_a_paid_extension(client, container, name)
                await verify_publisher(client, dns, dev, f"{name}.example")
                accounts[name] = await onboard(client, dispatcher, container, clock, dev, country)
                tax_form = tax_form | {"publisherId": dev["publisher_id"]}
                certified = await client.put("/api/payments/tax-profile", json=tax_form, headers=dev["auth"])
                assert certified.status_code == 200, certified.text
                assert certified.json()["withholdingBasisPoints"] == 0  # a US TIN; Germany's treaty rate
                codes[name] = await price(client, dev, PRICES[name])
            acme, globex = developers["acme"], developers["globex"]

            # a customer buys both extensions in one checkout: one charge, two sellers
            buyer_id = await add_account(container, "carol@example.com", Role.CUSTOMER)
            order = await buy(
                client,
                dispatcher,
                container,
                bearer((await start_session(container, buyer_id, Role.CUSTOMER))[0]),
                [{"productCode": codes["acme"]}, {"productCode": codes["globex"]}],
            )
            lines = order["lines"]
            assert [line["sellerId"] for line in lines] == [acme["publisher_id"], globex["publisher_id"]]
            shares = {"acme": share_of(lines[0]["amounts"]["net"]), "globex": share_of(lines[1]["amounts"]["net"])}
            for name, dev in developers.items():
                assert await owed(container, dev) == shares[name]
                eur = await revenue(client, dev)
                assert (eur["balance"], eur["pending"], eur["available"]) == (shares[name], shares[name], 0)
                assert eur["nextPayout"]["estimatedAmount"] == shares[name] and eur["nextPayout"]["willPay"] is True

            # inside the hold the run pays no one
            await run_due_payouts(container)
            for dev in developers.values():
                found = await payouts(client, dev)
                assert found["payouts"] == [] and [s["reason"] for s in found["skipped"]] == ["below_minimum"]

            # after the hold: the worker's run pays each seller its share through the sandbox
            clock.advance(hold + timedelta(days=1))
            first_run = f"{clock.now():%Y-%m}"
            await sessions_again()
            await run_due_payouts(container)
            await run_due_payouts(container)  # the worker's next tick pays no one twice
            for name, dev in developers.items():
                [payout] = (await payouts(client, dev))["payouts"]
                assert (payout["period"], payout["amount"], payout["withheld"], payout["status"]) == (
                    first_run,
                    shares[name],
                    0,
                    "sent",
                )
                async with container() as scope:
                    transfer = await (await scope.get(PayoutTransfers)).get(payout["transferId"])
                assert transfer is not None
                assert (transfer.destination, transfer.amount) == (accounts[name], Money.of(shares[name], "EUR"))
                assert await owed(container, dev) == 0
                eur = await revenue(client, dev)
                assert (eur["balance"], eur["available"], eur["paid"]) == (0, 0, shares[name])

            # the statements (JSON, CSV, PDF) of the sale's month and the payout's month equal the ledger
            listed = await client.get(
                "/api/payments/statements", params={"publisherId": acme["publisher_id"]}, headers=acme["auth"]
            )
            assert listed.status_code == 200, listed.text
            [mine] = listed.json()["publishers"]
            statements = {s["month"]: s for s in mine["statements"]}
            assert sorted(statements) == [f"{start:%Y-%m}", first_run]
            expected = {
                f"{start:%Y-%m}": (0, [("sale", shares["acme"])], shares["acme"]),
                first_run: (shares["acme"], [("payout", -shares["acme"])], 0),
            }
            for month, (opening, moves, closing) in expected.items():
                links = statements[month]
                shown = (await client.get(links["url"], headers=acme["auth"])).json()
                assert (shown["openingBalance"], shown["closingBalance"]) == (opening, closing)
                assert [(line["kind"], line["amount"]) for line in shown["lines"]] == moves
                rows = list(csv.DictReader(io.StringIO((await client.get(links["csv"], headers=acme["auth"])).text)))
                assert [(row["kind"], row["amount"]) for row in rows if row["kind"] not in SUMMARY] == [
                    (kind, major(amount)) for kind, amount in moves
                ]
                summary = {row["kind"]: row["amount"] for row in rows if row["kind"] in SUMMARY}
                assert list(summary) == list(SUMMARY)
                assert (summary["opening_balance"], summary["closing_balance"]) == (major(opening), major(closing))
                assert summary["fees"] == "0.00"  # the platform pays the processor out of its commission
                for kind, total in (("sale", "sales"), ("payout", "payouts")):
                    assert summary[total] == major(sum(amount for moved, amount in moves if moved == kind)), summary
                pdf = await client.get(links["pdf"], headers=acme["auth"])
                assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
                text = page_text(pdf.content)
                assert "Closing balance" in text and all(major(abs(amount)) in text for _, amount in moves)
            assert expected[first_run][2] == await owed(container, acme)  # the latest closing is the ledger's

            # mid-month, a refund after the payout: both sellers give their share back, their balances go negative
            clock.advance(clock.now().replace(day=15) - clock.now())  # (a sale today is still held next month)
            await sessions_again()
            admin_id = await add_account(container, "boss@example.com", Role.ADMIN, two_factor=True)
            admin = bearer((await start_session(container, admin_id, Role.ADMIN))[0])
            refund = await client.post(
                "/api/payments/refund", json={"orderId": order["id"], "reason": "Bought by mistake"}, headers=admin
            )
            assert refund.status_code == 201, refund.text
            await deliver_webhooks(dispatcher, container)
            for name, dev in developers.items():
                assert await owed(container, dev) == -shares[name]
                eur = await revenue(client, dev)
                negative = (-shares[name], -shares[name], False)
                assert (eur["balance"], eur["available"], eur["nextPayout"]["willPay"]) == negative

            # another sale: two seats of acme's extension, inside its hold
            again = await buy(
                client,
                dispatcher,
                container,
                bearer((await start_session(container, buyer_id, Role.CUSTOMER))[0]),
                [{"productCode": codes["acme"], "quantity": 2}],
            )
            second_share = share_of(again["lines"][0]["amounts"]["net"])
            excess = second_share - shares["acme"]
            assert excess >= 10_000  # the EUR minimum: payable once the sale clears its hold
            assert await owed(container, acme) == excess

            # the next month's run: the sale is still held, so both are owed less than nothing: skipped
            clock.advance(next_month_start(clock.now()) - clock.now() + timedelta(minutes=30))
            second_run = f"{clock.now():%Y-%m}"
            assert clock.now() < datetime.fromisoformat(again["createdAt"]) + hold  # the second sale is pending
            await sessions_again()
            await run_due_payouts(container)
            for dev in developers.values():
                found = await payouts(client, dev)
                assert len(found["payouts"]) == 1
                assert [(s["period"], s["reason"]) for s in found["skipped"] if s["period"] == second_run] == [
                    (second_run, "negative_balance")
                ]
            assert (await revenue(client, acme))["pending"] == second_share

            # after that sale's hold the run pays acme only the excess; globex, still negative, is skipped again
            clock.advance(next_month_start(clock.now()) - clock.now() + timedelta(minutes=30))
            third_run = f"{clock.now():%Y-%m}"
            await sessions_again()
            await run_due_payouts(container)
            acme_payouts = (await payouts(client, acme))["payouts"]
            assert sorted((p["period"], p["amount"], p["status"]) for p in acme_payouts) == [
                (first_run, shares["acme"], "sent"),
                (third_run, excess, "sent"),
            ]
            [latest] = [p for p in acme_payouts if p["period"] == third_run]
            async with container() as scope:
                transfer = await (await scope.get(PayoutTransfers)).get(latest["transferId"])
            assert transfer is not None and transfer.amount == Money.of(excess, "EUR")
            assert await owed(container, acme) == 0
            theirs = await payouts(client, globex)
            assert len(theirs["payouts"]) == 1
            assert [s["reason"] for s in theirs["skipped"] if s["period"] == third_run] == ["negative_balance"]
            assert await owed(container, globex) == -shares["globex"]

            # each developer's statement of this month closes at the ledger's balance
            for dev in developers.values():
                month = f"/api/payments/statements/{dev['publisher_id']}/{third_run}"
                shown = (await client.get(month, headers=dev["auth"])).json()
                assert shown["closingBalance"] == await owed(container, dev)
                rows = list(csv.DictReader(io.StringIO((await client.get(f"{month}/csv", headers=dev["auth"])).text)))
                closing = {row["kind"]: row["amount"] for row in rows if row["kind"] in SUMMARY}["closing_balance"]
                assert closing == major(await owed(container, dev))
            balances = await ledger_balances(container)
            assert sum(money.amount_minor for money in balances.values()) == 0
    finally:
        await container.close()
