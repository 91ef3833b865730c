"""Find the licenses an order issued (by the buyer's licenses, since licenses are looked up by
user), and apply one change to each: shared by the consumers of billing's events."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from devforge.application.common.outbox import Outbox
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.ports import LicenseRepository
from devforge.application.licensing.publication import record_events
from devforge.domain.licensing.license import License


async def licenses_of_order(licenses: LicenseRepository, user_id: UUID, order_id: UUID) -> list[License]:
    return [license for license in await licenses.list_for_user(user_id) if license.order_id == order_id]


async def change_order_licenses(
    licenses: LicenseRepository,
    outbox: Outbox,
    cache: LicenseCache,
    user_id: UUID,
    order_id: UUID,
    change: Callable[[License], None],
) -> int:
    """Runs inside the delivery's transaction (no commit); returns how many licenses changed."""
    changed = 0
    for license in await licenses_of_order(licenses, user_id, order_id):
        before = (license.status, license.expires_at)
        change(license)
        if (license.status, license.expires_at) == before:
            continue
        await licenses.update(license)
        await record_events(outbox, license)
        await cache.forget(license.key_digest)
        changed += 1
    return changed
