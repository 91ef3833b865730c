"""TaxJar (HTTP API v2) as the tax calculator: the rate comes from TaxJar, the arithmetic is ours.

- ``quote``: ``POST /v2/taxes`` for the buyer's address; TaxJar's ``rate`` (read as an exact
  ``Decimal``, never a float) is applied to the whole quote by ``tax_lines``, rounded once, so a
  TaxJar quote and a rates-table quote of the same rate agree to the minor unit. ``has_nexus``
  false means we owe nothing there (rate 0). A request under the reverse charge (billing's
  decision, from VIES) is quoted at rate 0 for an EU buyer without a call, as in the rates table.
- ``commit``: ``POST /v2/transactions/orders``; ``reverse``: ``POST /v2/transactions/refunds``.
  Both are idempotent by transaction id: TaxJar's 422 for an id it already holds is success.

Amounts go over the wire as JSON numbers in major units, written from exact decimals.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
import msgspec

from devforge.adapters.tax.rates_table import EU_VAT_BP, quote_at, rate_for
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_quote import TaxAddress, TaxQuote, TaxQuoteRequest

_ENCODER = msgspec.json.Encoder(decimal_format="number")


class TaxServiceUnavailable(Exception):
    """TaxJar did not answer, or answered an error we cannot act on."""


class TaxJarTaxCalculator:
    def __init__(
        self,
        api_token: str,
        base_url: str = "https://api.taxjar.com",
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout_seconds: int = 10,
    ) -> None:
        self._headers = {"Authorization": f"Bearer {api_token}", "Content-Type": "application/json"}
        self._base_url, self._transport, self._timeout = base_url.rstrip("/"), transport, timeout_seconds

    async def quote(self, request: TaxQuoteRequest) -> TaxQuote:
        address = request.address
        if address.country in EU_VAT_BP and request.reverse_charge:
            rate, reverse_charge, jurisdiction = rate_for(address, reverse_charge=True)
            return quote_at(request, rate, reverse_charge, jurisdiction, f"taxjar:{request.reference}")
        amount = sum((money.to_decimal() for money in request.amounts), Decimal(0))
        body = {"to_country": address.country, "amount": amount, "shipping": Decimal(0)}
        if address.region:
            body["to_state"] = address.region.upper()
        status, answer = await self._post("/v2/taxes", body)
        if status != 200:
            raise TaxServiceUnavailable(f"TaxJar answered {status} to a tax quote")
        tax = answer["tax"]
        basis_points = Decimal(str(tax["rate"])) * 10000 if tax.get("has_nexus", True) else Decimal(0)
        jurisdiction = address.country if not address.region else f"{address.country}-{address.region.upper()}"
        rate = Rate.from_basis_points(basis_points)
        return quote_at(request, rate, False, jurisdiction, f"taxjar:{request.reference}")

    async def commit(self, transaction_id: str, address: TaxAddress, total: TaxedAmount) -> None:
        body = _transaction(transaction_id, address, total)
        await self._idempotent("/v2/transactions/orders", body)

    async def reverse(self, transaction_id: str, refund_id: str, address: TaxAddress, refunded: TaxedAmount) -> None:
        body = _transaction(refund_id, address, refunded) | {"transaction_reference_id": transaction_id}
        await self._idempotent("/v2/transactions/refunds", body)

    async def _idempotent(self, path: str, body: dict[str, Any]) -> None:
        status, answer = await self._post(path, body)
        already = status == 422 and "already" in str(answer.get("detail", "")).lower()
        if status not in (200, 201) and not already:
            raise TaxServiceUnavailable(f"TaxJar answered {status} to {path}")

    async def _post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        try:
            async with httpx.AsyncClient(transport=self._transport, timeout=self._timeout) as client:
                response = await client.post(
                    self._base_url + path, content=_ENCODER.encode(body), headers=self._headers
                )
        except httpx.HTTPError as error:
            raise TaxServiceUnavailable(f"TaxJar unreachable: {type(error).__name__}") from error
        try:
            answer = json.loads(response.content, parse_float=Decimal) if response.content else {}
        except ValueError:
            answer = {}
        return response.status_code, answer if isinstance(answer, dict) else {}


def _major(money: Money) -> Decimal:
    return money.to_decimal()


def _transaction(transaction_id: str, address: TaxAddress, amounts: TaxedAmount) -> dict[str, Any]:
    body: dict[str, Any] = {
        "transaction_id": transaction_id,
        "to_country": address.country,
        "amount": _major(amounts.net),
        "shipping": Decimal(0),
        "sales_tax": _major(amounts.tax),
    }
    if address.region:
        body["to_state"] = address.region.upper()
    return body
