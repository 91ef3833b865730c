"""Licensing's ports. The repositories are transactional (they join the unit of work) and hold
key digests only, never a license key."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from devforge.domain.licensing.license import License
from devforge.domain.licensing.policy import Policy
from devforge.domain.licensing.product import Product


class ProductRepository(Protocol):
    async def add(self, product: Product) -> None:
        """Raises ``ProductCodeTaken`` when the code is taken, even by a concurrent transaction."""
        ...

    async def get(self, product_id: UUID) -> Product | None: ...


class PolicyRepository(Protocol):
    async def add(self, policy: Policy) -> None: ...

    async def get(self, policy_id: UUID) -> Policy | None: ...


class LicenseRepository(Protocol):
    """A license is stored with its machines. ``for_update`` locks the license row (SELECT …
    FOR UPDATE), which serializes every change to one license, machines included."""

    async def add(self, license: License) -> None: ...

    async def get(self, license_id: UUID, *, for_update: bool = False) -> License | None: ...

    async def get_by_key_digest(self, digest: str, *, for_update: bool = False) -> License | None: ...

    async def list_for_user(self, user_id: UUID) -> list[License]:
        """Every license of the user, revoked ones included, oldest first."""
        ...

    async def update(self, license: License) -> None:
        """Stores the license and its machines and bumps ``version``. Raises
        ``LicenseChangedConcurrently`` when another transaction stored it since it was read."""
        ...

    async def ids_with_heartbeat_machines(self, *, limit: int, after: UUID | None = None) -> list[UUID]:
        """Ids (ascending, after ``after``) of licenses whose policy requires heartbeats and that
        have an active machine: the candidates of the periodic cull."""
        ...

    async def revoked_ids(self) -> list[UUID]:
        """Ids (ascending) of every revoked license: what the signed revocation list names."""
        ...


class LicenseReader(Protocol):
    """Reads a license outside any unit of work, for the validation hot path: each call reads
    committed data on a connection of its own, taken only for the call."""

    async def find_by_key_digest(self, digest: str) -> License | None: ...


class LicenseKeyDigests(Protocol):
    """The keyed digest (HMAC-SHA256 under a server secret) a license key is stored and found by."""

    def digest(self, key: str) -> str: ...
