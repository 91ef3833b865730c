"""What the sweep's requests need, made through the service's own doors on a running instance.

A customer (signed up, address verified from the welcome mail in the Maildir, signed in), a
publisher (bench/upload_package.py's developer, publisher ``benchpub`` and extension
``bench-brackets``), an admin (``devforge create-admin``, two-factor on, signed in with a recovery
code, as bench/fuzz_callers.py does) and an account the login load signs in to. The publisher
defines a licensing product, an entitlement and a policy and issues the customer a license with one
machine; the customer buys the editor on the sandbox checkout page, is refunded 1.00 of it (a
credit note), downloads the extension and rates it; the extension's version 1.0.0 passes review
and the admin approves it. The publisher certifies a W-9 tax profile and opens its payout account,
and the admin records a $2,000 service payment to it this year (so its Form 1099-NEC exists and its
statements have a month that moved); the admin makes an analytics alert rule. Mail needs
``DEVFORGE_MAIL_BACKEND=maildir``; in production the worker must run (mail, webhooks, reviews,
read models).
"""

from __future__ import annotations

import json
import mailbox
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

from fuzz_callers import admin_token
from harness import progress
from upload_package import package, studio

PASSWORD = "bench-Correct-Horse-42"  # noqa: S105 - throwaway accounts of a throwaway instance
VERSION = "1.0.0"


@dataclass
class World:
    base: str
    tokens: dict[str, str] = field(default_factory=dict)  # role -> access token
    values: dict[str, str] = field(default_factory=dict)  # path parameter name -> seeded value
    login: dict[str, str] = field(default_factory=dict)  # the body POST /api/auth/login sends


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def http(base: str, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    """(status, decoded JSON or raw bytes); redirects are answered, not followed."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = token if " " in token else f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{base}{path}", data=data, headers=headers, method=method)  # noqa: S310
    try:
        with _OPENER.open(request, timeout=60) as response:
            status, raw, kind = response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers.get("Content-Type", "")
    return status, json.loads(raw) if "json" in kind and raw else raw


def ok(base: str, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    status, answer = http(base, method, path, body, token)
    if not 200 <= status < 400:
        raise RuntimeError(f"{method} {path}: {status} {str(answer)[:500]}")
    return answer


def until(what: str, probe: Callable[[], Any], seconds: float = 90) -> Any:
    """The first truthy answer of ``probe``: what the worker does takes a moment."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise RuntimeError(f"gave up after {seconds:.0f} s waiting for {what}")


def build_world(base: str, devforge: Path, env: dict[str, str], data_dir: Path) -> World:
    world = World(base)
    progress("seeding the sweep's world: accounts")
    customer = _verified_customer(world, data_dir / "mail")
    world.login = {"email": "sweep-login@bench.example", "password": PASSWORD}
    ok(base, "POST", "/api/auth/register", world.login)
    api_key, world.tokens["publisher"], extension_id = studio(base)
    world.tokens["admin"] = admin_token(base, devforge, env)
    world.values |= {"user_id": customer, "extension_id": extension_id, "version": VERSION}
    progress("seeding the sweep's world: a licensing product, a policy, a license with a machine")
    _license(world, customer)
    progress("seeding the sweep's world: a purchase on the sandbox page and a partial refund")
    _purchase(world)
    progress("seeding the sweep's world: version 1.0.0 reviewed and approved, downloaded and rated")
    _published_and_rated(world, api_key)
    progress("seeding the sweep's world: a payee (tax profile, payout account, a service payment), an alert rule")
    _payee(world)
    rule = {"name": "Downloads stall", "metric": "extensions.downloads", "condition": "below", "threshold": 1}
    rule |= {"interval": "day", "cooldownSeconds": 3600}
    world.values["rule_id"] = str(ok(base, "POST", "/api/analytics/alerts", rule, world.tokens["admin"])["id"])
    return world


def _verified_customer(world: World, maildir: Path) -> str:
    email = "sweep-customer@bench.example"
    ok(world.base, "POST", "/api/auth/register", {"email": email, "password": PASSWORD})
    token = until(f"the welcome mail to {email}", lambda: _link_token(maildir, email))
    ok(world.base, "POST", "/api/auth/verify-email", {"token": token})
    world.tokens["customer"] = ok(world.base, "POST", "/api/auth/login", {"email": email, "password": PASSWORD})[
        "accessToken"
    ]
    return str(ok(world.base, "GET", "/api/auth/me", token=world.tokens["customer"])["id"])


def _link_token(maildir: Path, address: str) -> str | None:
    if not all((maildir / sub).is_dir() for sub in ("tmp", "new", "cur")):
        return None  # the mailer makes the maildir's folders one after the other: not there yet
    for message in mailbox.Maildir(maildir, create=False):
        mail = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
        if address in str(mail["To"]) and "Welcome" in str(mail["Subject"]):
            text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
            found = re.findall(r"#token=([A-Za-z0-9_-]+)", text)
            return str(found[0]) if found else None
    return None


def _license(world: World, customer: str) -> None:
    base, publisher = world.base, world.tokens["publisher"]
    product = ok(base, "POST", "/api/licensing/products", {"code": "sweep-tool", "name": "Sweep Tool"}, publisher)
    ok(base, "POST", f"/api/licensing/products/{product['id']}/entitlements", {"code": "pro", "name": "Pro"}, publisher)
    body = {"productId": product["id"], "name": "team", "maxMachines": 5, "floating": True, "entitlements": ["pro"]}
    terms = ok(base, "POST", "/api/licensing/policies", body, publisher)
    issued = {"productId": product["id"], "policyId": terms["id"], "userId": customer}
    key = ok(base, "POST", "/api/licenses/generate", issued, publisher)["key"]
    ok(base, "POST", "/api/licenses/activate", {"fingerprint": "sweep-laptop"}, f"License {key}")
    world.values |= {"product_id": product["id"], "policy_id": terms["id"], "license_key": key}


def _purchase(world: World) -> None:
    base, customer = world.base, world.tokens["customer"]
    order = ok(base, "POST", "/api/payments/checkout", checkout_body(), customer)
    page = urlsplit(order["redirectUrl"]).path
    ok(base, "POST", f"{page}/pay")
    until(
        "the order paid",
        lambda: ok(base, "GET", f"/api/payments/orders/{order['id']}", token=customer)["status"] == "paid",
    )
    invoices = until("the invoice", lambda: ok(base, "GET", "/api/payments/invoices", token=customer)["items"])
    refund = {"orderId": order["id"], "amount": 100, "reason": "bench"}
    credit = ok(base, "POST", "/api/payments/refund", refund, customer)["creditNote"]
    world.values |= {
        "order_id": order["id"],
        "session_id": page.rsplit("/", 1)[-1],
        "invoice_id": invoices[0]["id"],
        "credit_note_id": credit["id"],
    }


def checkout_body() -> dict[str, str]:
    return {"productCode": "editor-perpetual", "currency": "EUR", "country": "DE"}


def _published_and_rated(world: World, api_key: str) -> None:
    base, extension = world.base, world.values["extension_id"]
    request = urllib.request.Request(  # noqa: S310 - our own local server
        f"{base}/api/extensions/{extension}/versions?version={VERSION}&targetPlatform=universal",
        data=package(VERSION, 1),
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/zip"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=120).close()  # noqa: S310
    review = f"/api/extensions/{extension}/versions/{VERSION}/review"
    verdict = until("the review's verdict", lambda: _verdict(world, review), seconds=180)
    if verdict != "passed":
        raise RuntimeError(f"version {VERSION} of the sweep's extension was {verdict}, not passed")
    ok(base, "POST", f"/api/extensions/{extension}/approve", {"version": VERSION}, world.tokens["admin"])
    until("the listing", lambda: http(base, "GET", f"/api/extensions/{extension}")[0] == 200)
    ok(base, "GET", f"/api/extensions/{extension}/download", token=world.tokens["customer"])
    rating = {"stars": 5, "title": "Does one thing well", "body": "Brackets finally readable."}
    mine = f"/api/extensions/{extension}/reviews/mine"
    until("the rating", lambda: http(base, "PUT", mine, rating, world.tokens["customer"])[0] in (200, 201))


def _payee(world: World) -> None:
    base, owner = world.base, world.tokens["publisher"]
    publisher = str(ok(base, "GET", f"/api/extensions/{world.values['extension_id']}")["publisherId"])
    w9 = {"form": "w9", "entityType": "individual", "tinType": "ssn", "tin": "123-45-6789"}
    profile = {"publisherId": publisher, "name": "Bench Pub", "address": "1 Main St", "signerName": "Bench Pub"}
    ok(base, "PUT", "/api/payments/tax-profile", profile | w9, owner)
    account = ok(base, "POST", "/api/payments/payouts/account", {"publisherId": publisher, "country": "US"}, owner)
    now = datetime.now(UTC)
    services = {"paymentId": str(uuid4()), "publisherId": publisher, "amount": 200_000, "currency": "USD"}
    ok(base, "POST", "/api/payments/service-payments", services | {"description": "Bench port"}, world.tokens["admin"])
    world.values |= {
        "publisher_id": publisher,
        "account_id": str(account["account"]["accountId"]),
        "year": str(now.year),
        "next_year": str(now.year + 1),
        "month": f"{now:%Y-%m}",
        "form": "1099-nec.pdf",  # the payee's own copy
        "file": f"{publisher}.pdf",  # finance's copy of a 1099-NEC payee's form
    }


def _verdict(world: World, review: str) -> str | None:
    state = ok(world.base, "GET", review, token=world.tokens["publisher"])["state"]
    return str(state) if state in {"passed", "rejected", "quarantined", "errored"} else None


def file_token(world: World) -> str:
    """A fresh signed link (they last minutes), taken just before /files/{token} is measured."""
    url = ok(world.base, "GET", f"/api/extensions/{world.values['extension_id']}/download")["url"]
    return str(urlsplit(url).path.rsplit("/", 1)[-1])
