"""``/api/payments/payouts/account``: a publisher's owner opens the publisher's payout account at
the payment provider (Stripe Connect Express, or the embedded sandbox) and sees its onboarding
state; ``/api/payments/admin/payout-accounts``: every account, for an administrator."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.openapi.spec import Example
from litestar.params import Body, QueryParameter
from litestar.status_codes import HTTP_200_OK

from devforge.application.billing.get_payout_account import GetPayoutAccount
from devforge.application.billing.list_payout_accounts import MAX_PAGE, ListPayoutAccounts
from devforge.application.billing.start_payout_onboarding import StartPayoutOnboarding, StartPayoutOnboardingHandler
from devforge.application.common.actor import Actor
from devforge.domain.billing.permissions import BillingPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.billing.payout_account_schemas import (
    OnboardingLinkResponse,
    PayoutAccountResponse,
    PayoutAccountsResponse,
    StartOnboardingBody,
)
from devforge.entrypoints.http.openapi_docs import problems

_EXAMPLE = {
    "publisherId": "0b7a7c1e-5f2d-4d8e-9b1a-3c4d5e6f7a8b",
    "country": "DE",
    "returnUrl": "https://devforge.dev/publishers/payouts",
    "refreshUrl": "https://devforge.dev/publishers/payouts/retry",
}


class PayoutAccountController(Controller):
    path = "/api/payments"
    tags = ["payouts"]

    @post(
        "/payouts/account",
        status_code=HTTP_200_OK,
        guards=[require(BillingPermission.EXTENSIONS_SELL)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Start payout onboarding",
        description=(
            "The owner of a publisher opens the publisher's payout account at the payment provider (a Stripe "
            "Connect Express account; in the embedded profile the sandbox's) and gets `onboardingUrl`, a single-use "
            "address of the provider's onboarding where the owner gives what the provider needs. Calling again "
            "re-issues a link for the same account, never a second account (also for two submits at once). The "
            "provider sends the person back to `returnUrl` (or `refreshUrl` when the link expired: call again "
            "there); both must be on this service or an allowed origin (422 `return_url_not_allowed`). The state "
            "changes as the provider reports it (`account.updated` webhooks): see the GET. Someone else's "
            "publisher answers 404 like a missing one; an unknown `country` is 422 `country_unknown`; another "
            "country than the account was opened for is 409 `payout_country_fixed`; a provider that does not answer "
            "is 503 `service_unavailable` with `Retry-After` (call again: the same account is found)."
        ),
        responses=problems(400, 401, 403, 404, 409, 422, 429),
    )
    async def start(
        self,
        data: Annotated[StartOnboardingBody, Body(examples=[Example(summary="Onboard a publisher", value=_EXAMPLE)])],
        actor: NamedDependency[Actor],
        handler: FromDishka[StartPayoutOnboardingHandler],
    ) -> OnboardingLinkResponse:
        command = StartPayoutOnboarding(data.publisher_id, data.country, data.return_url, data.refresh_url)
        return OnboardingLinkResponse.of(await handler(actor, command))

    @get(
        "/payouts/account",
        guards=[require(BillingPermission.EXTENSIONS_SELL, override=BillingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Payout account and onboarding state",
        description=(
            "The publisher's payout account: `state` (`not_started`, `pending`, `restricted`, `enabled`), whether "
            "payouts are enabled, and in plain words what the provider still needs (`requirements`, past due "
            "ones first) and why payouts are off (`disabledReason`). Payouts go only to an `enabled` account. "
            "Someone else's publisher answers 404 (an administrator with two-factor sees any)."
        ),
        responses=problems(400, 401, 403, 404, 429),
    )
    async def account(
        self,
        publisher_id: Annotated[UUID, QueryParameter(name="publisherId", description="A publisher you own")],
        actor: NamedDependency[Actor],
        handler: FromDishka[GetPayoutAccount],
    ) -> PayoutAccountResponse:
        return PayoutAccountResponse.of(await handler(actor, publisher_id))

    @get(
        "/admin/payout-accounts",
        guards=[require(BillingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Every payout account (admin)",
        description=(
            "Administrators (`billing:admin`: an admin's session with two-factor on) see every publisher's payout "
            "account, oldest first, with its state and what the provider still needs."
        ),
        responses=problems(400, 401, 403, 429),
    )
    async def all_accounts(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ListPayoutAccounts],
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE, description="Accounts per page")] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=2**31 - 1, description="Accounts to skip")] = 0,
    ) -> PayoutAccountsResponse:
        views = await handler(actor, limit=limit, offset=offset)
        return PayoutAccountsResponse([PayoutAccountResponse.of(view) for view in views])
