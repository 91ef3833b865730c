"""A local stand-in for the parts of Stripe's API our adapter calls, on a real socket.

``POST/GET /v1/checkout/sessions``, ``GET /v1/checkout/sessions/{id}``, ``POST /v1/prices``,
``POST/GET /v1/customers``, ``POST /v1/refunds``, ``GET /v1/events``, and the reads billing
makes of the current state: ``GET /v1/payment_intents/{id}`` (``expand[]=latest_charge``),
``GET /v1/charges/{id}``, ``GET /v1/disputes?payment_intent=``, ``GET /v1/invoice_payments``
(by ``payment[payment_intent]``), ``GET /v1/invoices/{id}``, ``GET`` and ``DELETE
/v1/subscriptions/{id}`` (the delete cancels): form-encoded requests with Stripe's bracket
notation, a bearer key, JSON answers, lists newest first with ``has_more``/``starting_after``.
An ``Idempotency-Key`` replays the first answer to that key. Shapes are the current API's: a
subscription's payment intent carries no metadata (it is found through its invoice), an
invoice names its subscription under ``parent`` and its payments under ``payments``.

Test hooks: ``complete(session_id)`` pays a session and records Stripe's events for it
(``signed(event, secret)`` gives the body and ``Stripe-Signature`` header to post);
``dispute(intent_id)`` and ``close_dispute(dispute_id, lost)`` play the buyer's bank;
``renew(subscription_id)`` charges the next period; ``POST /v1/transfers`` (a destination holding
``refuse`` is refused), ``GET /v1/transfers/{id}``, ``POST /v1/transfers/{id}/reversals``;
``reverse_transfer(id)`` and ``fail_payout(account, amount, currency)`` (with ``account``) play
Connect's ``transfer.reversed`` and ``payout.failed``;
balance transactions (``GET /v1/balance_transactions`` with ``created[gte|lt]`` and
``expand[]=data.source``, ``GET /v1/balance_transactions/{id}``, a charge's
``balance_transaction``, expandable) carry Stripe's fee (``fee_rate``: 2.9 % + 30 minor units,
or ``fees[intent id]``) with ``fee_details``; with ``async_capture`` a charge has none until
``capture_balance(intent_id)``, which sends ``charge.updated``; ``balance_available()`` sends
``balance.available``;
Connect accounts: ``POST /v1/accounts`` (an Express account: nothing submitted, the terms, an identity
document and a bank account currently due), ``GET /v1/accounts/{id}``, ``POST /v1/account_links``
(``account_onboarding``: a single-use ``url``); ``update_account(id, **fields)`` plays Stripe's
onboarding (``details_submitted``, ``payouts_enabled``, ``requirements``) and records the Connect
event ``account.updated`` (with ``account``);
``delay_next`` makes the next answers wait that many seconds (a timeout for the client);
``fail_next`` answers that status once. ``requests`` records every call.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from devforge.adapters.payments.stripe_signature import sign


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    idempotency_key: str | None
    params: dict[str, Any]


class FakeStripe:
    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.base_url = ""
        self.sessions: dict[str, dict[str, Any]] = {}
        self.customers: dict[str, dict[str, Any]] = {}
        self.prices: dict[str, dict[str, Any]] = {}
        self.intents: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.disputes: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.transfers: dict[str, dict[str, Any]] = {}
        self.accounts: dict[str, dict[str, Any]] = {}
        self.balance: dict[str, dict[str, Any]] = {}
        self.fees: dict[str, int] = {}
        self.fee_rate = (290, 30)
        self.async_capture = False
        self.events: list[dict[str, Any]] = []
        self.requests: list[Recorded] = []
        self.delay_next: list[float] = []
        self.fail_next: int | None = None
        self._answers: dict[str, tuple[int, dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.clock = lambda: int(time.time())

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_test_{next(self._ids):06d}"

    # HTTP

    def handle(self, method: str, target: str, headers: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        if self.delay_next:
            time.sleep(self.delay_next.pop(0))
        if headers.get("Authorization") != f"Bearer {self.api_key}":
            return 401, _error("invalid_request_error", "Invalid API Key provided")
        url = urlsplit(target)
        params = nest(parse_qsl(url.query if method == "GET" else body.decode(), keep_blank_values=True))
        key = headers.get("Idempotency-Key")
        with self._lock:
            self.requests.append(Recorded(method, url.path, key, params))
            if self.fail_next is not None:
                status, self.fail_next = self.fail_next, None
                return status, _error("api_error", "Something went wrong on Stripe's end")
            if method == "POST" and key and key in self._answers:
                return self._answers[key]
            answer = self._route(method, url.path, params)
            if method == "POST" and key and answer[0] < 500:
                self._answers[key] = answer
            return answer

    def _route(self, method: str, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        routes = {
            ("POST", "/v1/checkout/sessions"): self._create_session,
            ("GET", "/v1/checkout/sessions"): lambda p: self._list(self.sessions.values(), p),
            ("POST", "/v1/customers"): self._create_customer,
            ("GET", "/v1/customers"): lambda p: self._list(
                [c for c in self.customers.values() if p.get("email") in (None, c["email"])], p
            ),
            ("POST", "/v1/prices"): self._create_price,
            ("POST", "/v1/refunds"): self._create_refund,
            ("GET", "/v1/events"): self._list_events,
        }
        routes |= {
            ("GET", "/v1/disputes"): lambda p: self._list(
                [d for d in self.disputes.values() if p.get("payment_intent") in (None, d["payment_intent"])], p
            ),
            ("GET", "/v1/invoice_payments"): self._list_invoice_payments,
            ("POST", "/v1/transfers"): self._create_transfer,
            ("GET", "/v1/balance_transactions"): self._list_balance,
        }
        routes |= {("POST", "/v1/accounts"): self._create_account, ("POST", "/v1/account_links"): self._create_link}
        if (method, path) in routes:
            return routes[(method, path)](params)
        account = re.fullmatch(r"/v1/accounts/(\w+)", path)
        if account and method == "GET":
            return self._retrieve_account(account[1])
        transfer = re.fullmatch(r"/v1/transfers/(\w+)(/reversals)?", path)
        if transfer and method == "GET" and not transfer[2]:
            return self._retrieve_transfer(transfer[1])
        if transfer and method == "POST" and transfer[2]:
            return self._reverse_transfer(transfer[1])
        found = re.fullmatch(
            r"/v1/(checkout/sessions|customers|payment_intents|charges|invoices|subscriptions|balance_transactions)/(\w+)",
            path,
        )
        if found and method == "DELETE" and found[1] == "subscriptions":
            return self._cancel_subscription(found[2])
        if method == "GET" and found:
            return self._retrieve(found[1], found[2], params)
        return 404, _error("invalid_request_error", f"Unrecognized request URL ({method}: {path})")

    def _retrieve(self, kind: str, object_id: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        expand = params.get("expand") or []
        if kind == "payment_intents" and object_id in self.intents:
            intent = dict(self.intents[object_id])
            if "latest_charge" in expand or "latest_charge.balance_transaction" in expand:
                intent["latest_charge"] = self._charge(intent, "latest_charge.balance_transaction" in expand)
            return 200, intent
        if kind == "charges":
            intent = next((i for i in self.intents.values() if i["latest_charge"] == object_id), None)
            if intent is not None:
                return 200, self._charge(intent, "balance_transaction" in expand)
        tables = {
            "balance_transactions": self.balance,
            "checkout/sessions": self.sessions,
            "customers": self.customers,
            "invoices": self.invoices,
            "subscriptions": self.subscriptions,
        }
        if object_id in tables.get(kind, {}):
            return 200, tables[kind][object_id]
        return 404, _error("invalid_request_error", f"No such {kind}: '{object_id}'", code="resource_missing")

    def _list_invoice_payments(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        wanted = (p.get("payment") or {}).get("payment_intent")
        rows = [
            {"id": f"inpay_{invoice['id']}", "object": "invoice_payment", "created": invoice["created"]}
            | {"invoice": invoice["id"], "payment": entry["payment"], "status": entry["status"]}
            for invoice in self.invoices.values()
            for entry in invoice["payments"]["data"]
            if wanted in (None, entry["payment"]["payment_intent"])
        ]
        return self._list(rows, p)

    def _cancel_subscription(self, subscription_id: str) -> tuple[int, dict[str, Any]]:
        subscription = self.subscriptions.get(subscription_id)
        if subscription is None or subscription["status"] == "canceled":
            message = f"No such subscription: '{subscription_id}'" if subscription is None else "already canceled"
            return 400 if subscription else 404, _error("invalid_request_error", message, code="resource_missing")
        subscription.update(status="canceled", canceled_at=self.clock())
        self._event("customer.subscription.deleted", dict(subscription))
        return 200, subscription

    def _charge(self, intent: dict[str, Any], expand_balance: bool = False) -> dict[str, Any]:
        balance = intent.get("balance_transaction")
        return {
            "id": intent["latest_charge"],
            "balance_transaction": self.balance[balance] if balance and expand_balance else balance,
            "object": "charge",
            "amount": intent["amount_received"],
            "amount_refunded": intent.get("amount_refunded", 0),
            "refunded": intent.get("amount_refunded", 0) == intent["amount_received"],
            "currency": intent["currency"],
            "payment_intent": intent["id"],
            "metadata": intent["metadata"],
        }

    def _create_session(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        items = p.get("line_items") or []
        if p.get("mode") not in ("payment", "subscription") or not items or not p.get("success_url"):
            return 400, _error("invalid_request_error", "Missing required param: mode, line_items or success_url")
        total, currency = 0, None
        for item in items:
            price = item["price_data"]
            if currency not in (None, price["currency"]):
                return 400, _error("invalid_request_error", "All prices must be in the same currency")
            currency = price["currency"]
            if bool(price.get("recurring")) and p["mode"] != "subscription":
                return 400, _error("invalid_request_error", "Recurring prices need mode=subscription")
            total += int(price["unit_amount"]) * int(item.get("quantity", 1))
        session_id = self.new_id("cs")
        self.sessions[session_id] = {
            "id": session_id,
            "object": "checkout.session",
            "created": self.clock(),
            "mode": p["mode"],
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": total,
            "currency": currency,
            "client_reference_id": p.get("client_reference_id"),
            "customer": p.get("customer"),
            "customer_email": p.get("customer_email"),
            "metadata": p.get("metadata") or {},
            "payment_intent": None,
            "subscription": None,
            "success_url": p["success_url"],
            "cancel_url": p.get("cancel_url"),
            "url": f"{self.base_url}/c/pay/{session_id}",
            "line_items": items,
            "payment_intent_data": p.get("payment_intent_data") or {},
            "subscription_data": p.get("subscription_data") or {},
        }
        return 200, self._public(self.sessions[session_id])

    def _create_customer(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        customer = {"id": self.new_id("cus"), "object": "customer", "created": self.clock(), "email": p.get("email")}
        self.customers[customer["id"]] = customer | {"metadata": p.get("metadata") or {}}
        return 200, self.customers[customer["id"]]

    def _create_price(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        price = {"id": self.new_id("price"), "object": "price", "created": self.clock(), "currency": p.get("currency")}
        self.prices[price["id"]] = price | {"unit_amount": int(p.get("unit_amount", 0))}
        return 200, self.prices[price["id"]]

    def _create_refund(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        intent = self.intents.get(p.get("payment_intent", "")) or next(
            (i for i in self.intents.values() if i["latest_charge"] == p.get("charge")), None
        )
        if intent is None:
            return 400, _error("invalid_request_error", "No such payment_intent", code="resource_missing")
        amount = int(p.get("amount", intent["amount_received"] - intent["amount_refunded"]))
        if amount <= 0 or amount > intent["amount_received"] - intent["amount_refunded"]:
            return 400, _error(
                "invalid_request_error", "Refund amount is greater than unrefunded amount", code="amount_too_large"
            )
        intent["amount_refunded"] += amount
        refund_id = self.new_id("re")
        self._balance_transaction("refund", -amount, 0, intent["currency"], refund_id)
        refund = {
            "id": refund_id,
            "object": "refund",
            "created": self.clock(),
            "amount": amount,
            "currency": intent["currency"],
            "payment_intent": intent["id"],
            "charge": intent["latest_charge"],
            "status": "succeeded",
            "metadata": p.get("metadata") or {},
        }
        self.refunds[refund["id"]] = refund
        self._event("charge.refunded", self._charge(intent))
        return 200, refund

    def _create_transfer(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Connect's separate charges and transfers: a destination whose id holds ``refuse`` is
        refused (a 400, as Stripe refuses an account that cannot receive transfers)."""
        if "refuse" in p["destination"]:
            return 400, _error("invalid_request_error", "The destination account cannot receive transfers.")
        transfer = {
            "id": self.new_id("tr"),
            "object": "transfer",
            "amount": int(p["amount"]),
            "amount_reversed": 0,
            "currency": p["currency"],
            "destination": p["destination"],
            "transfer_group": p.get("transfer_group"),
            "description": p.get("description"),
            "metadata": p.get("metadata") or {},
            "reversed": False,
            "created": self.clock(),
        }
        self.transfers[transfer["id"]] = transfer
        return 200, transfer

    def _retrieve_transfer(self, transfer_id: str) -> tuple[int, dict[str, Any]]:
        if transfer_id not in self.transfers:
            return 404, _error("invalid_request_error", f"No such transfer: '{transfer_id}'", code="resource_missing")
        return 200, self.transfers[transfer_id]

    def _reverse_transfer(self, transfer_id: str) -> tuple[int, dict[str, Any]]:
        """The whole transfer back (``transfer.reversed``); one already reversed is refused."""
        transfer = self.transfers.get(transfer_id)
        if transfer is None:
            return 404, _error("invalid_request_error", f"No such transfer: '{transfer_id}'", code="resource_missing")
        if transfer["reversed"]:
            return 400, _error("invalid_request_error", "Transfer already fully reversed.")
        transfer.update(reversed=True, amount_reversed=transfer["amount"])
        reversal = {"id": self.new_id("trr"), "object": "transfer_reversal", "amount": transfer["amount"]}
        self._event("transfer.reversed", dict(transfer))
        return 200, reversal | {"currency": transfer["currency"], "transfer": transfer_id}

    def transfers_to(self, destination: str) -> list[dict[str, Any]]:
        with self._lock:
            return [t for t in self.transfers.values() if t["destination"] == destination]

    def reverse_transfer(self, transfer_id: str) -> dict[str, Any]:
        """The platform (its dashboard) reverses a transfer: the ``transfer.reversed`` event."""
        with self._lock:
            self._reverse_transfer(transfer_id)
            return self.events[-1]

    def fail_payout(self, account: str, amount: int, currency: str) -> dict[str, Any]:
        """The connected account's bank refuses its payout: ``payout.failed``, sent with ``account``."""
        with self._lock:
            payout = {
                "id": self.new_id("po"),
                "object": "payout",
                "amount": amount,
                "currency": currency,
                "status": "failed",
                "failure_code": "account_closed",
            }
            event = self._event("payout.failed", payout)
            event["account"] = account
            return event

    def _create_account(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if p.get("type") != "express" or not p.get("country"):
            return 400, _error("invalid_request_error", "type=express and a country are required")
        due = ["tos_acceptance.date", "individual.verification.document", "external_account"]
        account = {
            "id": self.new_id("acct"),
            "object": "account",
            "type": "express",
            "country": p["country"],
            "email": p.get("email"),
            "metadata": p.get("metadata") or {},
            "capabilities": {"transfers": "inactive"},
            "details_submitted": False,
            "charges_enabled": False,
            "payouts_enabled": False,
            "requirements": {"currently_due": due, "eventually_due": due, "past_due": [], "disabled_reason": None},
        }
        self.accounts[account["id"]] = account
        return 200, account

    def _retrieve_account(self, account_id: str) -> tuple[int, dict[str, Any]]:
        if account_id not in self.accounts:
            return 404, _error("invalid_request_error", f"No such account: '{account_id}'", code="resource_missing")
        return 200, self.accounts[account_id]

    def _create_link(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if p.get("account") not in self.accounts:
            return 400, _error("invalid_request_error", "No such account", code="resource_missing")
        if p.get("type") != "account_onboarding" or not p.get("return_url") or not p.get("refresh_url"):
            return 400, _error("invalid_request_error", "type, return_url and refresh_url are required")
        url = f"https://connect.stripe.test/setup/e/{p['account']}/{self.new_id('link')}"
        created = self.clock()
        return 200, {"object": "account_link", "created": created, "expires_at": created + 300, "url": url}

    def update_account(self, account_id: str, **fields: Any) -> dict[str, Any]:
        """Stripe's onboarding moved the account: its ``account.updated`` Connect event."""
        with self._lock:
            account = self.accounts[account_id]
            requirements = fields.pop("requirements", None)
            account.update(fields)
            if requirements is not None:
                account["requirements"] = {"eventually_due": [], "past_due": [], "disabled_reason": None} | requirements
            account["capabilities"] = {"transfers": "active" if account["payouts_enabled"] else "inactive"}
            event = self._event("account.updated", json.loads(json.dumps(account)))
            event["account"] = account_id
            return event

    def _list_events(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        types = p.get("types")
        chosen = [e for e in self.events if not types or e["type"] in types]
        return self._list(chosen, p)

    def _list(self, objects: Any, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        created = p.get("created") or {}
        rows = [o for o in objects if "gte" not in created or o["created"] >= int(created["gte"])]
        rows = [o for o in rows if "lt" not in created or o["created"] < int(created["lt"])]
        rows.sort(key=lambda o: (o["created"], o["id"]), reverse=True)
        if p.get("starting_after"):
            ids = [o["id"] for o in rows]
            rows = rows[ids.index(p["starting_after"]) + 1 :] if p["starting_after"] in ids else []
        limit = int(p.get("limit", 10))
        page = [self._public(o) for o in rows[:limit]]
        return 200, {"object": "list", "url": "/v1/list", "has_more": len(rows) > limit, "data": page}

    @staticmethod
    def _public(obj: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in obj.items() if k not in ("line_items", "payment_intent_data", "subscription_data")}

    # Test hooks

    def complete(self, session_id: str) -> list[dict[str, Any]]:
        """The buyer paid: Stripe's events for the session, recorded for ``/v1/events`` too."""
        with self._lock:
            session = self.sessions[session_id]
            session.update(status="complete", payment_status="paid")
            recurring = session["mode"] == "subscription"
            # A subscription's payment intent carries none of the session's metadata.
            metadata = {} if recurring else dict(session["payment_intent_data"].get("metadata") or session["metadata"])
            intent = self._intent(session["amount_total"], session["currency"], metadata)
            if recurring:
                session["subscription"] = self.new_id("sub")
                session["invoice"] = self.new_id("in")
            else:
                session["payment_intent"] = intent["id"]
            events = [self._event("checkout.session.completed", self._public(session))]
            events.append(self._event("payment_intent.succeeded", self._shown(intent)))
            if recurring:
                events += self._subscription_events(session, intent)
            return events

    def _intent(
        self, amount: int, currency: str, metadata: dict[str, Any], status: str = "succeeded"
    ) -> dict[str, Any]:
        intent = {
            "id": self.new_id("pi"),
            "object": "payment_intent",
            "created": self.clock(),
            "amount": amount,
            "amount_received": amount if status == "succeeded" else 0,
            "amount_refunded": 0,
            "currency": currency,
            "status": status,
            "latest_charge": self.new_id("ch"),
            "metadata": metadata,
        }
        self.intents[intent["id"]] = intent
        if status == "succeeded" and not self.async_capture:
            self._charge_balance(intent)
        return intent

    def _charge_balance(self, intent: dict[str, Any]) -> None:
        basis_points, fixed = self.fee_rate
        amount = intent["amount_received"] or intent["amount"]
        fee = self.fees.get(intent["id"], min(amount, (amount * basis_points + 5000) // 10000 + fixed))
        balance = self._balance_transaction("charge", amount, fee, intent["currency"], intent["latest_charge"])
        intent["balance_transaction"] = balance["id"]

    def _balance_transaction(self, kind: str, amount: int, fee: int, currency: str, source: str) -> dict[str, Any]:
        details = [{"amount": fee, "currency": currency, "description": "Stripe processing fees", "type": "stripe_fee"}]
        balance = {
            "id": self.new_id("txn"),
            "object": "balance_transaction",
            "amount": amount,
            "available_on": self.clock() + 2 * 86_400,
            "created": self.clock(),
            "currency": currency,
            "fee": fee,
            "fee_details": details if fee else [],
            "net": amount - fee,
            "reporting_category": kind,
            "source": source,
            "status": "pending",
            "type": kind,
        }
        self.balance[balance["id"]] = balance
        return balance

    def _list_balance(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        status, page = self._list(self.balance.values(), p)
        if "data.source" in (p.get("expand") or []):
            page["data"] = [row | {"source": self._source(row["source"])} for row in page["data"]]
        return status, page

    def _source(self, source_id: str) -> Any:
        if source_id in self.refunds:
            return self.refunds[source_id]
        intent = next((i for i in self.intents.values() if i["latest_charge"] == source_id), None)
        return self._charge(intent) if intent is not None else source_id

    def capture_balance(self, intent_id: str) -> dict[str, Any]:
        """An asynchronous capture completes: the charge's balance transaction is made, and
        Stripe sends ``charge.updated``."""
        with self._lock:
            intent = self.intents[intent_id]
            self._charge_balance(intent)
            return self._event("charge.updated", self._charge(intent))

    def balance_available(self) -> dict[str, Any]:
        with self._lock:
            currencies = {i["currency"] for i in self.intents.values()}
            available = [{"amount": 0, "currency": currency} for currency in sorted(currencies)]
            return self._event("balance.available", {"object": "balance", "available": available, "pending": []})

    @staticmethod
    def _shown(intent: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in intent.items() if k != "amount_refunded"}

    def _subscription_events(self, session: dict[str, Any], intent: dict[str, Any]) -> list[dict[str, Any]]:
        sub_meta = dict(session["subscription_data"].get("metadata") or {})
        start, end = self.clock(), self.clock() + 30 * 86_400
        subscription = {
            "id": session["subscription"],
            "object": "subscription",
            "created": start,
            "status": "active",
            "metadata": sub_meta,
            "items": {"object": "list", "data": [{"current_period_start": start, "current_period_end": end}]},
        }
        self.subscriptions[subscription["id"]] = subscription
        invoice = self._invoice(session["invoice"], subscription, intent, "subscription_create", start, end)
        return [self._event("invoice.paid", invoice), self._event("customer.subscription.updated", dict(subscription))]

    def _invoice(
        self, invoice_id: str, subscription: dict[str, Any], intent: dict[str, Any], reason: str, start: int, end: int
    ) -> dict[str, Any]:
        paid = intent["status"] == "succeeded"
        invoice = {
            "id": invoice_id,
            "object": "invoice",
            "created": self.clock(),
            "billing_reason": reason,
            "amount_due": intent["amount"],
            "amount_paid": intent["amount"] if paid else 0,
            "currency": intent["currency"],
            "status": "paid" if paid else "open",
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": subscription["id"], "metadata": subscription["metadata"]},
            },
            "payments": {
                "object": "list",
                "data": [
                    {
                        "payment": {"type": "payment_intent", "payment_intent": intent["id"]},
                        "status": "paid" if paid else "open",
                    }
                ],
            },
            "lines": {"object": "list", "data": [{"period": {"start": start, "end": end}}]},
            "period_start": start,
            "period_end": start,
        }
        self.invoices[invoice_id] = invoice
        return invoice

    def dispute(self, intent_id: str, amount: int | None = None) -> dict[str, Any]:
        """The buyer's bank disputes the payment: ``charge.dispute.created``, which names the
        payment intent and the charge and carries no metadata of ours."""
        with self._lock:
            intent = self.intents[intent_id]
            dispute = {
                "id": self.new_id("dp"),
                "object": "dispute",
                "created": self.clock(),
                "amount": amount or intent["amount_received"],
                "currency": intent["currency"],
                "status": "needs_response",
                "reason": "fraudulent",
                "charge": intent["latest_charge"],
                "payment_intent": intent_id,
            }
            self.disputes[dispute["id"]] = dispute
            return self._event("charge.dispute.created", dict(dispute))

    def close_dispute(self, dispute_id: str, *, lost: bool) -> dict[str, Any]:
        with self._lock:
            dispute = self.disputes[dispute_id]
            dispute["status"] = "lost" if lost else "won"
            return self._event("charge.dispute.closed", dict(dispute))

    def renew(self, subscription_id: str, *, fail: bool = False) -> list[dict[str, Any]]:
        """The next period is charged (``fail``: the card is declined and the invoice stays open)."""
        with self._lock:
            subscription = self.subscriptions[subscription_id]
            first = next(
                i
                for i in self.invoices.values()
                if i["parent"]["subscription_details"]["subscription"] == subscription_id
            )
            item = subscription["items"]["data"][0]
            start, end = item["current_period_end"], item["current_period_end"] + 30 * 86_400
            intent = self._intent(
                first["amount_due"], first["currency"], {}, status="requires_payment_method" if fail else "succeeded"
            )
            invoice = self._invoice(self.new_id("in"), subscription, intent, "subscription_cycle", start, end)
            if fail:
                subscription["status"] = "past_due"
                return [self._event("invoice.payment_failed", invoice)]
            item.update(current_period_start=start, current_period_end=end)
            subscription["status"] = "active"
            return [
                self._event("invoice.paid", invoice),
                self._event("customer.subscription.updated", dict(subscription)),
            ]

    def _event(self, stripe_type: str, obj: dict[str, Any]) -> dict[str, Any]:
        event = {
            "id": self.new_id("evt"),
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": self.clock(),
            "livemode": False,
            "type": stripe_type,
            "data": {"object": obj},
        }
        self.events.append(event)
        return event

    @staticmethod
    def signed(event: dict[str, Any], secret: str, timestamp: int | None = None) -> tuple[bytes, str]:
        body = json.dumps(event).encode()
        return body, sign(body, secret, int(time.time()) if timestamp is None else timestamp)


def nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``a[0][b]=1`` -> ``{"a": [{"b": "1"}]}``: Stripe's form encoding, back to structure."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(k.isdigit() for k in node):
        return [_lists(node[k]) for k in sorted(node, key=int)]
    return {k: _lists(v) for k, v in node.items()}


def _error(kind: str, message: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"type": kind, "message": message, "code": code}}


@contextmanager
def running_stripe(api_key: str = "sk_test_devforge_fake") -> Iterator[FakeStripe]:
    fake = FakeStripe(api_key)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, payload = fake.handle(self.command, self.path, self.headers, body)
            encoded = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(encoded)))
                self.send_header("Request-Id", f"req_{next(fake._ids)}")
                self.end_headers()
                self.wfile.write(encoded)
            except OSError:  # the client gave up waiting (a timeout test)
                pass

        do_GET = do_POST = do_DELETE = _answer

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
