"""Licensing's ports. The repositories are transactional (they join the unit of work) and hold
key digests only, never a license key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from devforge.domain.licensing.entitlement import Entitlement
from devforge.domain.licensing.license import License
from devforge.domain.licensing.policy import Policy
from devforge.domain.licensing.product import Product


class ProductRepository(Protocol):
    async def add(self, product: Product) -> None:
        """Raises ``ProductCodeTaken`` when the code is taken, even by a concurrent transaction."""
        ...

    async def get(self, product_id: UUID, *, for_update: bool = False) -> Product | None:
        """``for_update`` locks the product row: the changes to one product's catalog (policies
        naming entitlements, removing an entitlement or the product) take it, so they serialize."""
        ...

    async def list_page(self, *, owner_id: UUID | None, limit: int, after: Product | None = None) -> list[Product]:
        """``owner_id``'s products (everyone's when None), oldest first by (created_at, id), at
        most ``limit`` of them, starting after ``after`` in that order."""
        ...

    async def update(self, product: Product) -> None: ...

    async def remove(self, product_id: UUID) -> None:
        """Its entitlements go with it. Raises ``ProductInUse`` when a policy or license still
        refers to it (a foreign key, so even one a concurrent transaction added)."""
        ...


class PolicyRepository(Protocol):
    async def add(self, policy: Policy) -> None: ...

    async def get(self, policy_id: UUID) -> Policy | None: ...

    async def list_for_product(self, product_id: UUID) -> list[Policy]:
        """By name, then id."""
        ...

    async def update(self, policy: Policy) -> None: ...

    async def remove(self, policy_id: UUID) -> None:
        """Raises ``PolicyInUse`` when a license still refers to it (a foreign key)."""
        ...


class EntitlementRepository(Protocol):
    """A product's catalog of features; a code is unique within its product."""

    async def add(self, entitlement: Entitlement) -> None:
        """Raises ``EntitlementCodeTaken`` when the product defines the code already."""
        ...

    async def get(self, entitlement_id: UUID) -> Entitlement | None: ...

    async def list_for_product(self, product_id: UUID) -> list[Entitlement]:
        """By code."""
        ...

    async def remove(self, entitlement_id: UUID) -> None: ...


class LicenseReferences(Protocol):
    """Whether licenses were issued on a product or from a policy (read in the unit of work)."""

    async def product_has_licenses(self, product_id: UUID) -> bool: ...

    async def policy_has_licenses(self, policy_id: UUID) -> bool: ...


class LicenseRepository(Protocol):
    """A license is stored with its machines. ``for_update`` locks the license row (SELECT …
    FOR UPDATE), which serializes every change to one license, machines included."""

    async def add(self, license: License) -> None: ...

    async def get(self, license_id: UUID, *, for_update: bool = False) -> License | None: ...

    async def get_by_key_digest(self, digest: str, *, for_update: bool = False) -> License | None: ...

    async def list_for_user(self, user_id: UUID) -> list[License]:
        """Every license of the user, revoked ones included, oldest first."""
        ...

    async def key_digests(self, license_ids: Sequence[UUID]) -> list[str]:
        """The key digests of those of these licenses that exist (the validation cache's keys)."""
        ...

    async def update(self, license: License) -> None:
        """Stores the license and its machines and bumps ``version``. Raises
        ``LicenseChangedConcurrently`` when another transaction stored it since it was read."""
        ...

    async def ids_with_heartbeat_machines(self, *, limit: int, after: UUID | None = None) -> list[UUID]:
        """Ids (ascending, after ``after``) of licenses whose policy requires heartbeats and that
        have an active machine: the candidates of the periodic cull."""
        ...

    async def ids_due_an_expiry_notice(self, now: datetime, notice: timedelta, *, limit: int) -> list[UUID]:
        """Ids of the licenses ``License.announce_expiry(now)`` would announce: not revoked, and
        either past their expiry without an "expired" notice for it, or within ``notice`` of it
        without an "expiring soon" notice for it. Soonest expiry first."""
        ...


class LicenseReader(Protocol):
    """Reads licenses outside any unit of work (the validation hot path, the license pages): each
    call is one statement on committed data, on a connection of its own taken only for the call."""

    async def find_by_key_digest(self, digest: str) -> License | None: ...

    async def list_for_user(self, user_id: UUID) -> list[License]:
        """Every license issued to ``user_id``, with its machines, oldest first."""
        ...

    async def shown_by_key_digest(self, digest: str) -> ShownLicense | None:
        """The license with what its page needs: its product's owner and its usage counts."""
        ...

    async def shown_by_id(self, license_id: UUID) -> ShownLicense | None: ...

    async def withdrawn_ids(self) -> WithdrawnLicenses:
        """What the signed revocation list names: the ids of every revoked and every suspended
        license (a suspended one until it is reinstated), committed, each list ascending."""
        ...


@dataclass(frozen=True, slots=True)
class ShownLicense:
    license: License
    product_owner_id: UUID | None
    """Who, besides its customer and admins, may see it (None: the product is gone)."""
    usage: LicenseUsage


class LicensingCatalogReader(Protocol):
    """The catalogue's plain reads outside any unit of work, for its pages: committed data, one
    statement per call on a connection taken only for the call. Changes, and reads a rule rests
    on, go through the repositories in the unit of work instead."""

    async def product(self, product_id: UUID) -> Product | None: ...

    async def products(self, *, owner_id: UUID | None, limit: int, after: Product | None = None) -> list[Product]:
        """As ``ProductRepository.list_page``: oldest first, ``owner_id`` None for everyone's."""
        ...

    async def product_with_policies(self, product_id: UUID) -> tuple[Product, list[Policy]] | None:
        """The product and its policies by name, or None when there is no such product."""
        ...

    async def product_with_entitlements(self, product_id: UUID) -> tuple[Product, list[Entitlement]] | None:
        """The product and its entitlements by code, or None when there is no such product."""
        ...

    async def policy_with_product(self, policy_id: UUID) -> tuple[Policy, Product] | None: ...


@dataclass(frozen=True, slots=True)
class WithdrawnLicenses:
    revoked: list[UUID]
    suspended: list[UUID]


@dataclass(frozen=True, slots=True)
class LicenseUsage:
    validations: int = 0
    failed_validations: int = 0
    last_validated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class UsageDelta:
    license_id: UUID
    validations: int
    failures: int
    last_validated_at: datetime


class LicenseUsageCounters(Protocol):
    """Validation counters per license, only ever added to (in the caller's unit of work)."""

    async def add(self, deltas: Sequence[UsageDelta]) -> None:
        """Adds every delta (one statement for all of them where the store allows it); the
        stored ``last_validated_at`` only moves forward."""
        ...

    async def get(self, license_id: UUID) -> LicenseUsage: ...


class AccountDirectory(Protocol):
    """Whether an account exists (accounts belong to identity, whose tables licensing never
    reads; bootstrap serves this with identity's published ``AccountLookup``). Not transactional
    of its own: it reads in the caller's unit of work."""

    async def exists(self, user_id: UUID) -> bool: ...


class LicenseKeyDigests(Protocol):
    """The keyed digest (HMAC-SHA256 under a server secret) a license key is stored and found by."""

    def digest(self, key: str) -> str: ...
