"""Issue a license to a customer from a policy; the key is shown once."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID, uuid4

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.errors import AccountNotFound, PolicyNotFound
from devforge.application.licensing.ports import (
    AccountDirectory,
    EntitlementRepository,
    LicenseKeyDigests,
    LicenseRepository,
    PolicyRepository,
    ProductRepository,
)
from devforge.application.licensing.publication import record_events
from devforge.application.licensing.views import GeneratedLicense, LicenseView
from devforge.domain.licensing.entitlement import ensure_defined
from devforge.domain.licensing.license import License
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.licensing.policy import LimitOverrides
from devforge.domain.licensing.terms import LicenseTerms


@dataclass(frozen=True, slots=True)
class GenerateLicense:
    policy_id: UUID
    user_id: UUID
    order_id: UUID | None = None
    overrides: LimitOverrides = field(default_factory=LimitOverrides)
    extra_entitlements: frozenset[str] = frozenset()
    product_id: UUID | None = None
    """The product the caller names along with the policy, when it names one (the HTTP route
    does): a policy of another product is then refused like a missing one."""


class GenerateLicenseHandler:
    """By the product's owner or an admin, to an existing account (422 ``ACCOUNT_NOT_FOUND``
    naming ``userId`` otherwise). The license keeps the key's digest and visible prefix only; the
    full key is in this answer and nowhere else. Extra entitlements must be defined for the
    product (422 ``ENTITLEMENT_UNDEFINED``). A missing policy, one of another product than the
    one named, and one of someone else's product all answer 404 ``POLICY_NOT_FOUND``."""

    def __init__(
        self,
        uow: UnitOfWork,
        products: ProductRepository,
        policies: PolicyRepository,
        licenses: LicenseRepository,
        digests: LicenseKeyDigests,
        outbox: Outbox,
        clock: Clock,
        entitlements: EntitlementRepository,
        accounts: AccountDirectory,
    ) -> None:
        self._uow, self._products, self._policies, self._licenses = uow, products, policies, licenses
        self._digests, self._outbox, self._clock, self._entitlements = digests, outbox, clock, entitlements
        self._accounts = accounts

    async def __call__(self, actor: Actor, command: GenerateLicense) -> GeneratedLicense:
        policy = await self._policies.get(command.policy_id)
        if command.product_id is not None and (policy is None or policy.product_id != command.product_id):
            raise PolicyNotFound("This product has no such policy.", field="policyId")
        product = await self._products.get(policy.product_id) if policy else None
        if policy is None or product is None or not actor.owns_or_may(product.owner_id, LicensingPermission.ADMIN):
            raise PolicyNotFound("No such policy.")
        if not await self._accounts.exists(command.user_id):
            raise AccountNotFound("No account has this id.", field="userId")
        if command.extra_entitlements:  # the policy's own were checked when it was written
            ensure_defined(command.extra_entitlements, await self._entitlements.list_for_product(product.id))
        key = LicenseKey.generate()
        terms = LicenseTerms(policy=policy, overrides=command.overrides, extra_entitlements=command.extra_entitlements)
        license = License.issue(
            license_id=uuid4(),
            user_id=command.user_id,
            terms=terms,
            key=key,
            key_digest=self._digests.digest(str(key)),
            now=self._clock.now(),
            order_id=command.order_id,
        )
        await self._licenses.add(license)
        await record_events(self._outbox, license)
        await self._uow.commit()
        return GeneratedLicense(LicenseView.of(license), str(key))
