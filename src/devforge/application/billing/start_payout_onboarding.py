"""A publisher's owner starts (or resumes) onboarding for payouts: the publisher gets one
connected account at the payment provider (Stripe Connect Express, or the embedded sandbox),
and the owner gets a fresh onboarding address to fill in what the provider needs.

Only the publisher's owner may (anyone else: 404, as for a missing publisher). The country is
an ISO code and is fixed once the account is opened (a different one later is 409 naming
``country``). The return and refresh URLs are checked like a checkout's (this service's public
base URL or an allowed origin; else 422 naming the field), since the provider redirects there.

The account's first facts are read from the provider when it is opened, so what is due shows at
once. Calling again never opens a second account: the provider call carries an idempotency key
derived from the publisher, and our row is unique per publisher, so two submits at once both
end on the one account (the loser of the insert reads the winner's row) and each gets a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.application.billing.payment_gateway import PaymentProviderUnavailable
from devforge.application.billing.payout_account_ports import (
    ConnectedAccounts,
    NewConnectedAccount,
    PayoutAccountRepository,
)
from devforge.application.billing.ports import AccountDirectory
from devforge.application.billing.return_urls import CheckoutReturnUrls
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.public_url import PublicUrl
from devforge.application.common.unavailable import ServiceUnavailable
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.countries import country_code
from devforge.domain.billing.payout_account import (
    AccountFacts,
    PayoutAccount,
    PayoutAccountExists,
    PayoutAccountNotFound,
)


@dataclass(frozen=True, slots=True)
class StartPayoutOnboarding:
    publisher_id: UUID
    country: str
    return_url: str | None = None  # default: this service's public base URL
    refresh_url: str | None = None


@dataclass(frozen=True, slots=True)
class PayoutOnboardingLink:
    account: PayoutAccount
    url: str


def account_idempotency_key(publisher_id: UUID) -> str:
    return f"payout-account-{publisher_id}"


class StartPayoutOnboardingHandler:
    def __init__(
        self,
        uow: UnitOfWork,
        accounts: PayoutAccountRepository,
        provider: ConnectedAccounts,
        sellers: ExtensionSellers,
        directory: AccountDirectory,
        return_urls: CheckoutReturnUrls,
        public_url: PublicUrl,
        clock: Clock,
    ) -> None:
        self._uow, self._accounts, self._provider, self._clock = uow, accounts, provider, clock
        self._sellers, self._directory, self._urls, self._home = sellers, directory, return_urls, public_url

    async def __call__(self, actor: Actor, command: StartPayoutOnboarding) -> PayoutOnboardingLink:
        """The provider not answering is ``ServiceUnavailable`` (503, try again): an account it may
        have opened is found again by the same idempotency key."""
        try:
            return await self._start(actor, command)
        except PaymentProviderUnavailable as away:
            await self._uow.rollback()
            raise ServiceUnavailable("The payment provider", retry_after_seconds=5) from away

    async def _start(self, actor: Actor, command: StartPayoutOnboarding) -> PayoutOnboardingLink:
        seller = await self._sellers.seller(command.publisher_id)
        if seller is None or seller.owner_id != actor.user_id:
            raise PayoutAccountNotFound("No publisher you own has this id.", field="publisherId")
        country = country_code(command.country)
        return_url = self._urls.check(command.return_url or self._home.to("/"), field="returnUrl")
        refresh_url = self._urls.check(command.refresh_url or self._home.to("/"), field="refreshUrl")
        account = await self._accounts.get_by_publisher(seller.publisher_id)
        await self._uow.rollback()  # no transaction held while the provider is asked
        if account is None:
            account = await self._open(seller.publisher_id, country, actor.user_id)
        account.check_country(country)
        url = await self._provider.onboarding_link(account.provider_account_id, return_url, refresh_url)
        return PayoutOnboardingLink(account, url)

    async def _open(self, publisher_id: UUID, country: str, owner_id: UUID) -> PayoutAccount:
        contact = await self._directory.contact(owner_id)
        request = NewConnectedAccount(
            publisher_id, country, contact.email if contact else None, account_idempotency_key(publisher_id)
        )
        provider_account_id = await self._provider.create(request)
        now = self._clock.now()
        found = await self._provider.facts(provider_account_id)  # what is due, shown from the start
        facts = AccountFacts(observed_at=now)
        if found is not None:
            facts = AccountFacts(
                now, found.details_submitted, found.payouts_enabled, found.currently_due, found.past_due
            )
        account = PayoutAccount(
            id=uuid4(),
            publisher_id=publisher_id,
            provider=self._provider.provider,
            provider_account_id=provider_account_id,
            country=country,
            created_at=now,
            facts=facts,
        )
        try:
            await self._accounts.add(account)
            await self._uow.commit()
        except PayoutAccountExists:  # a submit at the same moment won: it holds the same account
            await self._uow.rollback()
            winner = await self._accounts.get_by_publisher(publisher_id)
            if winner is None:
                raise
            return winner
        return account
