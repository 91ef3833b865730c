"""The sandbox provider's hosted onboarding page, as the HTTP shell sees it.

In the embedded profile the sandbox plays Stripe Connect: a publisher's onboarding link is a
local page that walks the connected account through the states a real one goes through
(``pending``: nothing submitted; ``restricted``: details submitted, payouts disabled until a
document and a bank account are given; ``enabled``), each step queuing the Stripe-shaped, signed
``account.updated`` webhook Stripe would send, through the same push as the checkout's events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from devforge.domain.shared.errors import NotFound


@dataclass(frozen=True, slots=True)
class SandboxOnboardingView:
    account_id: str
    country: str
    step: str  # "pending" | "restricted" | "enabled"
    requirements: tuple[str, ...]  # what the provider needs at this step, as it names it
    return_url: str | None


class SandboxAccountNotFound(NotFound):
    code = "sandbox_account_not_found"


class SandboxOnboarding(Protocol):
    async def view(self, account_id: str) -> SandboxOnboardingView:
        """Raises ``SandboxAccountNotFound``."""
        ...

    async def advance(self, account_id: str) -> str:
        """One step on (pending -> restricted -> enabled), queuing ``account.updated``; answers
        where to go next: the page again, or the return URL once enabled. A step taken twice (a
        double click) moves once."""
        ...

    async def restrict(self, account_id: str) -> str:
        """The provider asks for more (enabled -> restricted), queuing ``account.updated``;
        answers the page's address."""
        ...
