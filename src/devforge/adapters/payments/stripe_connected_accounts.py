"""Stripe Connect Express behind ``ConnectedAccounts``, with stripe-python's ``StripeClient``.

An account is opened with ``type=express`` and the ``transfers`` capability (the platform takes
the charge and transfers each seller's share: "separate charges and transfers"), the publisher's
id in its metadata and the owner's email to prefill Stripe's form, under the caller's idempotency
key. Onboarding is an ``account_onboarding`` account link (single use, expires in minutes: a new
one is made each time). The facts are the account's ``details_submitted``, ``payouts_enabled``
and ``requirements`` (``stripe_accounts.account_facts``). A timeout, a dropped connection, a 429
or a 5xx raises ``PaymentProviderUnavailable``; an unknown account reads as None.
"""

from __future__ import annotations

from typing import Any, cast

import stripe

from devforge.adapters.payments.stripe_accounts import account_facts
from devforge.adapters.payments.stripe_payment_gateway import (
    DEFAULT_TIMEOUT,
    make_stripe_client,
    missing_is_none,
    unknown_outcome,
)
from devforge.application.billing.payout_account_ports import NewConnectedAccount, ProviderAccountFacts

PROVIDER = "stripe"


class StripeConnectedAccounts:
    provider = PROVIDER

    def __init__(self, client: stripe.StripeClient, http_client: stripe.HTTPXClient | None = None) -> None:
        self._client, self._http = client, http_client

    @classmethod
    def connect(cls, api_key: str, api_base: str = "") -> StripeConnectedAccounts:
        """Owning its HTTP client: ``aclose`` it when done."""
        http = stripe.HTTPXClient(timeout=DEFAULT_TIMEOUT.total_seconds())
        return cls(make_stripe_client(api_key, api_base, http_client=http), http)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.close_async()  # type: ignore[no-untyped-call]

    async def create(self, request: NewConnectedAccount) -> str:
        params: dict[str, Any] = {
            "type": "express",
            "country": request.country,
            "capabilities": {"transfers": {"requested": True}},
            "metadata": {"publisher_id": str(request.publisher_id)},
        }
        if request.email:
            params["email"] = request.email
        async with unknown_outcome():
            account = await self._client.v1.accounts.create_async(
                params=cast(Any, params), options={"idempotency_key": request.idempotency_key}
            )
        return account.id

    async def onboarding_link(self, account_id: str, return_url: str, refresh_url: str) -> str:
        params: Any = {
            "account": account_id,
            "type": "account_onboarding",
            "return_url": return_url,
            "refresh_url": refresh_url,
        }
        async with unknown_outcome():
            link = await self._client.v1.account_links.create_async(params=params)
        return link.url

    async def facts(self, account_id: str) -> ProviderAccountFacts | None:
        async with unknown_outcome(), missing_is_none():
            account = await self._client.v1.accounts.retrieve_async(account_id)
            return account_facts(account.to_dict())
        return None
