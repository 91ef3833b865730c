"""The provider's connected accounts in memory: tests set what the provider knows of an account
(``set_facts``) and count what was asked of it."""

from __future__ import annotations

from dataclasses import replace

from devforge.application.billing.payment_gateway import PaymentProviderUnavailable
from devforge.application.billing.payout_account_ports import NewConnectedAccount, ProviderAccountFacts

INITIALLY_DUE = ("tos_acceptance.date", "individual.verification.document", "external_account")


class InMemoryConnectedAccounts:
    provider = "memory"

    def __init__(self) -> None:
        self.accounts: dict[str, ProviderAccountFacts] = {}
        self.by_key: dict[str, str] = {}
        self.requests: list[NewConnectedAccount] = []
        self.links: list[tuple[str, str, str]] = []
        self.unavailable = False

    def _check(self) -> None:
        if self.unavailable:
            raise PaymentProviderUnavailable("connected accounts unavailable")

    async def create(self, request: NewConnectedAccount) -> str:
        self._check()
        if request.idempotency_key in self.by_key:
            return self.by_key[request.idempotency_key]
        self.requests.append(request)
        account_id = f"acct_memory_{len(self.accounts) + 1:06d}"
        self.accounts[account_id] = ProviderAccountFacts(account_id, False, False, currently_due=INITIALLY_DUE)
        self.by_key[request.idempotency_key] = account_id
        return account_id

    async def onboarding_link(self, account_id: str, return_url: str, refresh_url: str) -> str:
        self._check()
        self.links.append((account_id, return_url, refresh_url))
        return f"https://connect.memory.invalid/setup/{account_id}/{len(self.links)}"

    async def facts(self, account_id: str) -> ProviderAccountFacts | None:
        self._check()
        return self.accounts.get(account_id)

    def set_facts(self, account_id: str, **changes: object) -> None:
        """What the provider now knows, e.g. ``details_submitted=True, currently_due=(...)``."""
        self.accounts[account_id] = replace(self.accounts[account_id], **changes)  # type: ignore[arg-type]
