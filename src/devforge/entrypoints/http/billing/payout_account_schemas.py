"""Bodies of ``/api/payments/payouts/account``: a publisher's payout account at the payment
provider, its onboarding state and what the provider still needs, in plain words."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta

from devforge.application.billing.get_payout_account import PayoutAccountView
from devforge.application.billing.start_payout_onboarding import PayoutOnboardingLink
from devforge.entrypoints.http.billing.schemas import ISO_COUNTRIES, Url
from devforge.entrypoints.http.schemas import NO_CONTROL_CHARACTERS, CamelStruct

State = Literal["not_started", "pending", "restricted", "enabled"]
STATE_DESCRIPTION = (
    "not_started: no account yet; pending: onboarding started, details not submitted; restricted: details "
    "submitted but payouts disabled until the requirements are met; enabled: payouts go to this account"
)


class StartOnboardingBody(CamelStruct):
    publisher_id: Annotated[UUID, Meta(description="A publisher you own: the payee of its extensions' sales")]
    country: Annotated[
        str,
        NO_CONTROL_CHARACTERS,
        Meta(
            min_length=2,
            max_length=2,
            examples=["DE"],
            description="ISO 3166-1 alpha-2: where the publisher is; fixed once the account is opened",
            extra_json_schema={"enum": ISO_COUNTRIES},
        ),
    ]
    return_url: Annotated[
        Url | None, Meta(description="Where the provider sends the person back (default: this service)")
    ] = None
    refresh_url: Annotated[
        Url | None, Meta(description="Where the provider sends the person when the link expired: ask for a new one")
    ] = None


class RequirementResponse(CamelStruct):
    code: Annotated[str, Meta(description="As the provider names it", examples=["external_account"])]
    description: Annotated[str, Meta(examples=["A bank account to pay out to"])]
    past_due: Annotated[bool, Meta(description="Payouts stay disabled until it is given")]


class PayoutAccountResponse(CamelStruct):
    publisher_id: UUID
    state: Annotated[State, Meta(description=STATE_DESCRIPTION)]
    payouts_enabled: bool
    details_submitted: bool
    requirements: Annotated[list[RequirementResponse], Meta(description="What the provider still needs")]
    provider: Annotated[str | None, Meta(examples=["stripe"])] = None
    account_id: Annotated[str | None, Meta(description="The provider's id of the connected account")] = None
    country: str | None = None
    disabled_reason: Annotated[str | None, Meta(description="Why payouts are off, in plain words")] = None
    updated_at: datetime | None = None

    @classmethod
    def of(cls, view: PayoutAccountView) -> PayoutAccountResponse:
        return cls(
            publisher_id=view.publisher_id,
            state=view.state.value,
            payouts_enabled=view.payouts_enabled,
            details_submitted=view.details_submitted,
            requirements=[RequirementResponse(r.code, r.description, r.past_due) for r in view.requirements],
            provider=view.provider,
            account_id=view.provider_account_id,
            country=view.country,
            disabled_reason=view.disabled_reason,
            updated_at=view.updated_at,
        )


class OnboardingLinkResponse(CamelStruct):
    onboarding_url: Annotated[
        str, Meta(description="Send the publisher's owner here (single use; expires within minutes at Stripe)")
    ]
    account: PayoutAccountResponse

    @classmethod
    def of(cls, link: PayoutOnboardingLink) -> OnboardingLinkResponse:
        return cls(link.url, PayoutAccountResponse.of(PayoutAccountView.of(link.account)))


class PayoutAccountsResponse(CamelStruct):
    accounts: list[PayoutAccountResponse]
