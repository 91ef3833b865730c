"""The sandbox provider's hosted checkout page, as the HTTP shell sees it.

In the embedded profile no real provider exists, so a local "sandbox" plays one: it hosts a page
where a person pays or declines, then pushes Stripe-shaped, signed webhooks to our own webhook
endpoint, exactly as Stripe would. These ports let the shells drive it without knowing its
adapter: the page (``SandboxCheckout``) and the push (``ProviderWebhookDispatcher``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from devforge.application.billing.payment_gateway import CheckoutLine
from devforge.domain.shared.errors import Conflict, NotFound


@dataclass(frozen=True, slots=True)
class SandboxCheckoutView:
    """``status``: "open", "paid" or "declined". Amounts are minor units of ``currency``."""

    session_id: str
    order_id: UUID
    status: str
    currency: str
    lines: tuple[CheckoutLine, ...]
    customer_email: str
    recurring: bool

    @property
    def total(self) -> int:
        return sum(line.unit_amount * line.quantity + line.tax_amount for line in self.lines)


class SandboxSessionNotFound(NotFound):
    code = "sandbox_session_not_found"


class SandboxSessionSettled(Conflict):
    """A session is paid or declined once; a second answer is refused."""

    code = "sandbox_session_settled"


class SandboxCheckout(Protocol):
    async def view(self, session_id: str) -> SandboxCheckoutView:
        """Raises ``SandboxSessionNotFound``."""
        ...

    async def pay(self, session_id: str) -> str:
        """Marks the session paid, queues the provider's events and answers the success URL.
        Raises ``SandboxSessionNotFound`` or ``SandboxSessionSettled``."""
        ...

    async def decline(self, session_id: str) -> str:
        """Marks the session declined and answers the cancel URL."""
        ...


class ProviderWebhookDispatcher(Protocol):
    async def dispatch_due(self) -> int:
        """Pushes the provider events that are due to our webhook endpoint; answers how many
        were delivered. A failed push is retried later with a growing delay."""
        ...
