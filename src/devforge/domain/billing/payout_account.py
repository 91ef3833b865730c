"""A publisher's payout account: the connected account at the payment provider (Stripe Connect
Express, or the embedded sandbox's stand-in) that the publisher's earnings are paid to, and
whether the provider lets money go there now.

The state is never set by hand: it is derived from the provider's facts (details submitted,
payouts enabled, what the provider still needs and why it disabled payouts). Facts carry the
moment they were observed; older facts than those kept are ignored, so ``account.updated``
notifications that arrive twice or out of order end in the same state.

- ``pending``: onboarding started, the provider does not have the details yet;
- ``restricted``: details submitted, but payouts are disabled (requirements due, or under review);
- ``enabled``: payouts enabled (even with requirements coming due later);
- ``not_started``: there is no account (no row at all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from devforge.domain.billing.payout_requirements import describe_reason, describe_requirement
from devforge.domain.shared.errors import Conflict, NotFound, NotPermitted


class OnboardingState(StrEnum):
    NOT_STARTED = "not_started"  # no connected account yet
    PENDING = "pending"  # onboarding started, the provider still needs information
    RESTRICTED = "restricted"  # onboarded, but the provider has disabled payouts (requirements due)
    ENABLED = "enabled"  # payouts enabled


class PayoutAccountNotFound(NotFound):
    """No payout account of a publisher the caller owns (someone else's answers the same)."""

    code = "payout_account_not_found"


class PayoutAccountExists(Conflict):
    """A publisher has one payout account: a second one for it is refused by the store."""

    code = "payout_account_exists"


class PayoutAccountsAdminOnly(NotPermitted):
    code = "payout_accounts_admin_only"


class PayoutAccountChanged(Conflict):
    """The record changed between reading and writing it (another request or event): try again."""

    code = "payout_account_changed"


class PayoutCountryFixed(Conflict):
    """A connected account's country is fixed when it is opened."""

    code = "payout_country_fixed"


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What the provider said of a connected account, as of ``observed_at``."""

    observed_at: datetime
    details_submitted: bool = False
    payouts_enabled: bool = False
    currently_due: tuple[str, ...] = ()
    past_due: tuple[str, ...] = ()
    disabled_reason: str | None = None

    @property
    def state(self) -> OnboardingState:
        if self.payouts_enabled:
            return OnboardingState.ENABLED
        if not self.details_submitted:
            return OnboardingState.PENDING
        return OnboardingState.RESTRICTED

    @property
    def requirements(self) -> tuple[str, ...]:
        """What the provider still needs, past due first, each once, as the provider names it."""
        return tuple(dict.fromkeys((*self.past_due, *self.currently_due)))

    def same_as(self, other: AccountFacts) -> bool:
        return (
            self.details_submitted == other.details_submitted
            and self.payouts_enabled == other.payouts_enabled
            and self.requirements == other.requirements
            and self.disabled_reason == other.disabled_reason
        )


@dataclass(frozen=True, slots=True)
class Requirement:
    code: str  # as the provider names it: "individual.verification.document"
    description: str  # in plain words: "An identity document"
    past_due: bool


@dataclass
class PayoutAccount:
    id: UUID
    publisher_id: UUID
    provider: str  # "stripe" | "sandbox" | "memory"
    provider_account_id: str
    country: str
    created_at: datetime
    facts: AccountFacts
    version: int = 0
    updated_at: datetime | None = field(default=None)

    @property
    def state(self) -> OnboardingState:
        return self.facts.state

    def apply(self, facts: AccountFacts) -> bool:
        """Keeps ``facts`` if they are newer than the kept ones and say something else; answers
        whether anything changed. Facts observed before (or at) the kept ones are old news."""
        if facts.observed_at <= self.facts.observed_at:
            return False
        changed = not facts.same_as(self.facts)
        self.facts = facts
        self.updated_at = facts.observed_at
        return changed

    def check_country(self, country: str) -> None:
        if country != self.country:
            raise PayoutCountryFixed(
                f"This publisher's payout account was opened for {self.country}; its country cannot change.",
                field="country",
            )

    def requirements(self) -> tuple[Requirement, ...]:
        past = set(self.facts.past_due)
        return tuple(Requirement(code, describe_requirement(code), code in past) for code in self.facts.requirements)

    def disabled_reason(self) -> str | None:
        """Why payouts are off, in plain words; None when they are on or no reason is given."""
        if self.facts.payouts_enabled or not self.facts.disabled_reason:
            return None
        return describe_reason(self.facts.disabled_reason)
