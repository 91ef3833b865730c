"""Fulfil a paid order: what each order line whose product names a licensing policy bought.

- Only to an existing account (an unknown one is logged, like an unknown policy, and issued
  nothing).
- A quantity buys seats: for a floating policy, one license whose machine limit is the
  policy's times the quantity (an unlimited one stays unlimited), so a team shares one key;
  a node-locked policy allows one machine per license, so it gets one license per unit.
- A subscription's license expires when what was paid runs out (``access_until``: the period's
  end plus the grace period); each paid renewal moves it on.
- Idempotent: the licenses an order already has (counted per policy, in line order) are not
  issued again, so a redelivered ``OrderPaidV1`` issues nothing twice.

The new keys are shown to nobody here: one ``LicenseIssuedForOrderV1`` carries them all, each
sealed by the SecretBox under ``sealed_key_context(order)``, for billing's receipt mail to open.
Runs inside the delivery's transaction (no commit)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from uuid import UUID, uuid4

import structlog

from devforge.application.billing.published import OrderPaidV1
from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.application.common.secret_box import SecretBox
from devforge.application.licensing.order_licenses import licenses_of_order
from devforge.application.licensing.ports import (
    AccountDirectory,
    LicenseKeyDigests,
    LicenseRepository,
    PolicyRepository,
)
from devforge.application.licensing.publication import record_events
from devforge.application.licensing.published import IssuedLicenseV1, LicenseIssuedForOrderV1, sealed_key_context
from devforge.domain.licensing.license import License
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.policy import LimitOverrides, Policy
from devforge.domain.licensing.terms import LicenseTerms

log = structlog.get_logger(__name__)


class WhenOrderPaidIssueLicense:
    name = "licensing.issue_license_for_order"
    subscribes_to = (OrderPaidV1,)

    def __init__(
        self,
        policies: PolicyRepository,
        licenses: LicenseRepository,
        digests: LicenseKeyDigests,
        box: SecretBox,
        outbox: Outbox,
        clock: Clock,
        accounts: AccountDirectory,
    ) -> None:
        self._policies, self._licenses, self._digests = policies, licenses, digests
        self._box, self._outbox, self._clock, self._accounts = box, outbox, clock, accounts

    async def handle(self, event: EventEnvelope) -> None:
        paid = OrderPaidV1.decode(event)
        order_id, user_id = paid.order_id, paid.user_id
        if not await self._accounts.exists(user_id):  # billing checked it at checkout; accounts are never deleted
            log.error("order_names_unknown_account", order_id=str(order_id), user_id=str(user_id))
            return
        existing = Counter(str(lic.policy.id) for lic in await licenses_of_order(self._licenses, user_id, order_id))
        seen: Counter[str] = Counter()
        issued: list[IssuedLicenseV1] = []
        now = self._clock.now()
        for line in paid.lines:
            policy = await self._policy(order_id, line.policy_id)
            if policy is None:
                continue
            for seats in _licenses_for(policy, line.quantity):
                seen[str(policy.id)] += 1
                if seen[str(policy.id)] > existing[str(policy.id)]:
                    issued.append(await self._issue(order_id, user_id, policy, seats, paid.access_until, now))
        if issued:
            fulfilled = LicenseIssuedForOrderV1(order_id=order_id, licenses=tuple(issued))
            await self._outbox.add([fulfilled.envelope(now)])

    async def _policy(self, order_id: UUID, policy_id: str | None) -> Policy | None:
        """The line's policy; a line without one is not licensed, one naming no policy is logged."""
        if not policy_id:
            return None
        try:
            policy = await self._policies.get(UUID(policy_id))
        except ValueError:
            policy = None
        if policy is None:
            log.error("order_names_unknown_policy", order_id=str(order_id), policy_id=policy_id)
        return policy

    async def _issue(
        self,
        order_id: UUID,
        user_id: UUID,
        policy: Policy,
        seats: int | None,
        paid_until: datetime | None,
        now: datetime,
    ) -> IssuedLicenseV1:
        key = LicenseKey.generate()
        overrides = LimitOverrides(max_machines=seats) if seats != policy.max_machines else LimitOverrides()
        license = License.issue(
            license_id=uuid4(),
            user_id=user_id,
            terms=LicenseTerms(policy=policy, overrides=overrides),
            key=key,
            key_digest=self._digests.digest(str(key)),
            now=now,
            order_id=order_id,
            paid_until=paid_until,
        )
        await self._licenses.add(license)
        await record_events(self._outbox, license)
        sealed = self._box.seal(str(key), context=sealed_key_context(order_id))
        return IssuedLicenseV1(license_id=license.id, key_prefix=license.key_prefix, sealed_key=sealed)


def _licenses_for(policy: Policy, quantity: int) -> list[int | None]:
    """The machine limit of each license a line of ``quantity`` buys."""
    if not policy.floating:
        return [policy.max_machines] * quantity
    return [policy.max_machines * quantity if policy.max_machines is not None else None]
