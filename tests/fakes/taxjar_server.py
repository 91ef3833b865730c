"""A local stand-in for TaxJar's API v2, on a real socket.

``POST /v2/taxes`` answers the rate of the built-in table (so both adapters can be held to one
contract), ``POST /v2/transactions/orders`` and ``/refunds`` record transactions and refuse an id
they hold with TaxJar's 422. Requests need ``Authorization: Bearer <token>``. ``fail_next``
makes the next call answer that status."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import msgspec

from devforge.adapters.tax.rates_table import EU_VAT_BP, US_STATE_BP


class FakeTaxJar:
    def __init__(self, api_token: str) -> None:
        self.api_token = api_token
        self.orders: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.fail_next: int | None = None
        self.base_url = ""

    def handle(self, path: str, authorization: str | None, body: bytes) -> tuple[int, dict[str, Any]]:
        if authorization != f"Bearer {self.api_token}":
            return 401, {"error": "Unauthorized", "detail": "Not authorized for route", "status": 401}
        if self.fail_next is not None:
            status, self.fail_next = self.fail_next, None
            return status, {"error": "Server Error", "detail": "Try again", "status": status}
        try:
            request = json.loads(body, parse_float=Decimal)
        except ValueError:
            return 400, {"error": "Bad Request", "detail": "Malformed JSON", "status": 400}
        if path == "/v2/taxes":
            return 200, {"tax": self._tax(request)}
        book = {"/v2/transactions/orders": self.orders, "/v2/transactions/refunds": self.refunds}.get(path)
        if book is None:
            return 404, {"error": "Not Found", "detail": path, "status": 404}
        transaction_id = request["transaction_id"]
        if transaction_id in book:
            detail = f"Provider already has a transaction with transaction_id {transaction_id}"
            return 422, {"error": "Unprocessable Entity", "detail": detail, "status": 422}
        book[transaction_id] = request
        return 201, {"order" if book is self.orders else "refund": request}

    def _tax(self, request: dict[str, Any]) -> dict[str, Any]:
        country, state = request["to_country"], request.get("to_state")
        if country in EU_VAT_BP:
            basis_points, nexus = EU_VAT_BP[country], True
        elif country == "US" and state:
            basis_points, nexus = US_STATE_BP.get(state, 0), True
        else:
            basis_points, nexus = 0, False
        rate = Decimal(basis_points) / 10000
        amount = Decimal(request["amount"])
        return {
            "order_total_amount": amount,
            "taxable_amount": amount if nexus else Decimal(0),
            "amount_to_collect": (amount * rate).quantize(Decimal("0.01")),
            "rate": rate,
            "has_nexus": nexus,
            "freight_taxable": False,
            "tax_source": "destination",
            "jurisdictions": {"country": country},
        }


@contextmanager
def running_taxjar(api_token: str = "taxjar-test-token") -> Iterator[FakeTaxJar]:
    fake = FakeTaxJar(api_token)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            status, answer = fake.handle(self.path, self.headers.get("Authorization"), self.rfile.read(length))
            body = _dumps(answer)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def _dumps(answer: dict[str, Any]) -> bytes:
    """JSON with decimals written as numbers, as TaxJar writes them."""
    return msgspec.json.Encoder(decimal_format="number").encode(answer)
