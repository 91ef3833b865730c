"""Reading Stripe's connected ``account`` object (what Stripe Connect answers and what its
``account.updated`` event carries, and what the sandbox imitates) as ``ProviderAccountFacts``."""

from __future__ import annotations

from typing import Any

from devforge.adapters.payments.stripe_fields import as_dict, text
from devforge.application.billing.payout_account_ports import ProviderAccountFacts


def account_facts(account: dict[str, Any]) -> ProviderAccountFacts:
    """Raises ``TypeError`` on an object that is not an account."""
    requirements = as_dict(account.get("requirements"))
    reason = requirements.get("disabled_reason")
    return ProviderAccountFacts(
        account_id=text(account["id"]),
        details_submitted=account.get("details_submitted") is True,
        payouts_enabled=account.get("payouts_enabled") is True,
        currently_due=_names(requirements.get("currently_due")),
        past_due=_names(requirements.get("past_due")),
        disabled_reason=reason if isinstance(reason, str) and reason else None,
    )


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise TypeError("a requirements list")
    return tuple(text(name) for name in value)
