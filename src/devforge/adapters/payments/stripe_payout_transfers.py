"""Stripe Connect transfers behind ``PayoutTransfers`` ("separate charges and transfers"): a
transfer from the platform's balance to a connected account, with the payout's idempotency key
(Stripe answers the same transfer to the same key for 24 hours; a run resumed later finds its
transfer by the same key only within that window, which is why the run re-sends its pending
payouts on the next tick, minutes later, not days), in a ``transfer_group`` per run, with the
payout id in ``metadata.payout_id``. A reversal takes the whole transfer back.

A timeout, a dropped connection, a 429 or a 5xx leaves the outcome unknown
(``PaymentProviderUnavailable``); a 4xx refusal (the account cannot receive transfers, the
platform's balance is short) is ``TransferRefused``: nothing moved."""

from __future__ import annotations

from typing import Any, cast

import stripe
import structlog

from devforge.adapters.payments.stripe_payment_gateway import _missing_is_none, _unknown_outcome, make_stripe_client
from devforge.application.billing.payout_run_ports import ProviderTransfer, TransferRefused, TransferRequest
from devforge.domain.billing.stripe_amounts import from_stripe_amount, stripe_amount

log = structlog.get_logger(__name__)


class StripePayoutTransfers:
    def __init__(self, client: stripe.StripeClient, http_client: stripe.HTTPXClient | None = None) -> None:
        self._client, self._http = client, http_client

    @classmethod
    def connect(cls, api_key: str, api_base: str = "") -> StripePayoutTransfers:
        http = stripe.HTTPXClient(timeout=20)
        return cls(make_stripe_client(api_key, api_base, http_client=http), http)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.close_async()  # type: ignore[no-untyped-call]

    async def create(self, request: TransferRequest) -> ProviderTransfer:
        params: Any = {
            "amount": stripe_amount(request.amount),
            "currency": request.amount.currency.code.lower(),
            "destination": request.destination,
            "transfer_group": request.transfer_group,
            "description": request.description[:350],
            "metadata": {"idempotency_key": request.idempotency_key},
        }
        try:
            async with _unknown_outcome():
                transfer = await self._client.v1.transfers.create_async(
                    params=params, options={"idempotency_key": request.idempotency_key}
                )
        except stripe.InvalidRequestError as refused:
            log.warning("stripe_transfer_refused", code=refused.code, message=refused.user_message)
            raise TransferRefused(refused.user_message or "Stripe refused the transfer.") from None
        return _transfer(transfer)

    async def get(self, transfer_id: str) -> ProviderTransfer | None:
        async with _unknown_outcome(), _missing_is_none():
            return _transfer(await self._client.v1.transfers.retrieve_async(transfer_id))
        return None

    async def reverse(self, transfer_id: str, idempotency_key: str) -> ProviderTransfer:
        try:
            async with _unknown_outcome():
                await self._client.v1.transfers.reversals.create_async(
                    transfer_id, options={"idempotency_key": idempotency_key}
                )
        except stripe.InvalidRequestError as refused:  # already reversed in full: nothing left
            log.info("stripe_transfer_reversal_refused", transfer=transfer_id, code=refused.code)
        found = await self.get(transfer_id)
        if found is None:
            raise TransferRefused(f"Stripe knows no transfer {transfer_id}.")
        return found


def _transfer(transfer: Any) -> ProviderTransfer:
    data = cast(dict[str, Any], transfer.to_dict() if hasattr(transfer, "to_dict") else transfer)
    amount = from_stripe_amount(int(data["amount"]), str(data["currency"]))
    destination = data.get("destination")
    destination_id = destination if isinstance(destination, str) else (destination or {}).get("id", "")
    return ProviderTransfer(str(data["id"]), destination_id, amount, bool(data.get("reversed")))
