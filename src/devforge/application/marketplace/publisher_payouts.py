"""The marketplace's view of a publisher's payout account, for the developer dashboard: whether
its earnings can be paid out and what is still missing. Billing owns payout accounts; bootstrap
serves this port with billing's published ``PublisherPayoutAccounts``
(``bootstrap/publisher_payouts.py``), so the marketplace never reads billing's tables. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class PayoutAccountAtAGlance:
    publisher_id: UUID
    state: str  # "not_started" | "pending" | "restricted" | "enabled"
    payouts_enabled: bool
    missing: tuple[str, ...]  # in plain words
    account_url: str


class PublisherPayoutStatus(Protocol):
    async def payout_account(self, publisher_id: UUID) -> PayoutAccountAtAGlance: ...
