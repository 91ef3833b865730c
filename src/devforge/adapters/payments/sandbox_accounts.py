"""The embedded sandbox's Stripe Connect: Express accounts that a local onboarding page walks
through pending -> restricted -> enabled (and back to restricted when "the provider" asks for
more), each step queuing the Stripe-shaped ``account.updated`` event Stripe would send, pushed,
signed, to our webhook by the same dispatcher as the checkout's events.

What each step means (as Stripe reports it):

- ``pending``: nothing submitted; the terms, an identity document and a bank account are due;
- ``restricted``: details submitted, payouts disabled: the document and the bank account are
  past due (``disabled_reason`` ``requirements.past_due``);
- ``enabled``: payouts enabled, nothing due.

State lives in a ``SandboxAccountStore`` (SQL in the embedded profile; the account and its event
are written in one transaction), so a restart loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol
from uuid import UUID

from devforge.adapters.payments.sandbox_events import event, new_id
from devforge.adapters.payments.sandbox_store import SandboxEventRecord
from devforge.adapters.payments.stripe_accounts import account_facts
from devforge.application.billing.payout_account_ports import NewConnectedAccount, ProviderAccountFacts
from devforge.application.billing.sandbox_onboarding import SandboxAccountNotFound, SandboxOnboardingView

PROVIDER = "sandbox"
ONBOARDING_PATH = "/api/payments/sandbox/onboarding/"
_DUE = {
    "pending": ("tos_acceptance.date", "individual.verification.document", "external_account"),
    "restricted": ("individual.verification.document", "external_account"),
    "enabled": (),
}
_NEXT = {"pending": "restricted", "restricted": "enabled"}


@dataclass(frozen=True, slots=True)
class SandboxAccountRecord:
    id: str
    idempotency_key: str
    publisher_id: UUID
    country: str
    email: str | None
    step: str  # "pending" | "restricted" | "enabled"
    created_at: datetime
    updated_at: datetime
    return_url: str | None = None
    refresh_url: str | None = None


class SandboxAccountStore(Protocol):
    """Each method is its own transaction."""

    async def add_account(self, account: SandboxAccountRecord) -> SandboxAccountRecord:
        """Stores ``account`` unless one with its idempotency key exists; answers the stored one."""
        ...

    async def get_account(self, account_id: str) -> SandboxAccountRecord | None: ...

    async def set_links(self, account_id: str, return_url: str, refresh_url: str) -> None: ...

    async def move_account(self, account_id: str, from_step: str, to_step: str, event: SandboxEventRecord) -> bool:
        """Moves an account at ``from_step`` to ``to_step`` and queues ``event``, at once; False
        (nothing changes) when the account is not at ``from_step`` any more."""
        ...


def account_object(account: SandboxAccountRecord) -> dict[str, Any]:
    """The account as Stripe shapes it."""
    due = list(_DUE[account.step])
    enabled = account.step == "enabled"
    return {
        "id": account.id,
        "object": "account",
        "type": "express",
        "country": account.country,
        "email": account.email,
        "metadata": {"publisher_id": str(account.publisher_id)},
        "details_submitted": account.step != "pending",
        "charges_enabled": enabled,
        "payouts_enabled": enabled,
        "capabilities": {"transfers": "active" if enabled else "inactive"},
        "requirements": {
            "currently_due": due,
            "eventually_due": due,
            "past_due": due if account.step == "restricted" else [],
            "pending_verification": [],
            "disabled_reason": "requirements.past_due" if account.step == "restricted" else None,
        },
    }


def account_updated_event(account: SandboxAccountRecord, at: datetime) -> SandboxEventRecord:
    """A Connect event: it names the connected account at its top level, as Stripe's do."""
    record = event("account.updated", account_object(account), at)
    return replace(record, payload=record.payload | {"account": account.id})


def _now() -> datetime:
    return datetime.now(UTC)


class SandboxConnectedAccounts:
    """``ConnectedAccounts`` and the hosted onboarding page (``SandboxOnboarding``)."""

    provider = PROVIDER

    def __init__(self, store: SandboxAccountStore, public_base_url: str, now: Callable[[], datetime] = _now) -> None:
        self._store, self._now = store, now
        self._page_base = public_base_url.rstrip("/") + ONBOARDING_PATH

    async def create(self, request: NewConnectedAccount) -> str:
        at = self._now()
        account = SandboxAccountRecord(
            id=new_id("acct"),
            idempotency_key=request.idempotency_key,
            publisher_id=request.publisher_id,
            country=request.country,
            email=request.email,
            step="pending",
            created_at=at,
            updated_at=at,
        )
        return (await self._store.add_account(account)).id

    async def onboarding_link(self, account_id: str, return_url: str, refresh_url: str) -> str:
        await self._account(account_id)
        await self._store.set_links(account_id, return_url, refresh_url)
        return self._page_base + account_id

    async def facts(self, account_id: str) -> ProviderAccountFacts | None:
        account = await self._store.get_account(account_id)
        return account_facts(account_object(account)) if account else None

    # The hosted page (SandboxOnboarding).

    async def view(self, account_id: str) -> SandboxOnboardingView:
        account = await self._account(account_id)
        return SandboxOnboardingView(account.id, account.country, account.step, _DUE[account.step], account.return_url)

    async def advance(self, account_id: str) -> str:
        account = await self._account(account_id)
        following = _NEXT.get(account.step)
        if following is not None:
            await self._move(account, following)
        return self._after(await self._account(account_id))

    async def restrict(self, account_id: str) -> str:
        account = await self._account(account_id)
        if account.step == "enabled":
            await self._move(account, "restricted")
        return self._page_base + account_id

    async def _move(self, account: SandboxAccountRecord, step: str) -> None:
        """A concurrent move (a double click) wins or loses as a whole: one event per step."""
        at = self._now()
        moved = replace(account, step=step, updated_at=at)
        await self._store.move_account(account.id, account.step, step, account_updated_event(moved, at))

    def _after(self, account: SandboxAccountRecord) -> str:
        if account.step == "enabled" and account.return_url:
            return account.return_url
        return self._page_base + account.id

    async def _account(self, account_id: str) -> SandboxAccountRecord:
        account = await self._store.get_account(account_id)
        if account is None:
            raise SandboxAccountNotFound("No such sandbox account.", field="account_id")
        return account
