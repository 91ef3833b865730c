"""Where other contexts meet identity: their account ports, served by identity's published
``AccountLookup``. Only the composition root sees both sides; no context reads identity's tables."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.ports import AccountContact
from devforge.application.identity.account_lookup import AccountLookup
from devforge.application.identity.signed_in import SignedIn
from devforge.application.notifications.contacts import Contact


class IdentityAccountDirectory:
    """Licensing's ``AccountDirectory``: does the account exist."""

    def __init__(self, lookup: AccountLookup) -> None:
        self._lookup = lookup

    async def exists(self, user_id: UUID) -> bool:
        return await self._lookup.exists(user_id)


class IdentityBuyerDirectory:
    """Billing's ``AccountDirectory``: the buyer's address and whether it is verified, from the
    signed-in state every authenticated request already read (``SignedIn``: a near cache that
    every change of an account drops, read on the common read path on a miss). Not the unit of
    work's session: a checkout holds no transaction while it asks the tax service and the
    payment provider."""

    def __init__(self, signed_in: SignedIn) -> None:
        self._signed_in = signed_in

    async def contact(self, user_id: UUID) -> AccountContact | None:
        found = await self._signed_in.account(user_id)
        return AccountContact(email=found.email, email_verified=found.email_verified) if found else None


class IdentityPublisherAddresses:
    """The marketplace's ``AccountDirectory``: where a publisher's owner gets its review mails."""

    def __init__(self, lookup: AccountLookup) -> None:
        self._lookup = lookup

    async def address(self, user_id: UUID) -> str | None:
        found = await self._lookup.address(user_id)
        return found.email if found else None

    async def email_verified(self, user_id: UUID) -> bool:
        found = await self._lookup.address(user_id)
        return found is not None and found.email_verified


class IdentityContactDirectory:
    """Notifications' ``ContactDirectory``: where an account's owner gets mail."""

    def __init__(self, lookup: AccountLookup) -> None:
        self._lookup = lookup

    async def contact(self, user_id: UUID) -> Contact | None:
        found = await self._lookup.address(user_id)
        if found is None:
            return None
        return Contact(found.user_id, found.email, verified=found.email_verified, reachable=found.enabled)

    async def administrators(self) -> list[Contact]:
        return [
            Contact(found.user_id, found.email, verified=found.email_verified, reachable=True)
            for found in await self._lookup.administrators()
        ]
