"""Identity's principal -> the marketplace's caller (contexts never import each other)."""

from __future__ import annotations

from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.principal import Principal
from devforge.application.marketplace.caller import Caller
from devforge.domain.identity.errors import PermissionDenied, TwoFactorRequired
from devforge.domain.marketplace.permissions import MarketplacePermission


async def caller_of(principal: Principal, authorizer: Authorizer) -> Caller:
    """A reviewer is an administrator the authorizer grants ``extensions:review`` (a session with
    two-factor on); anyone else acts as a member of their own publishers."""
    reviewer = False
    if principal.api_key_id is None and authorizer.holds(principal, MarketplacePermission.EXTENSIONS_REVIEW):
        try:
            await authorizer(principal, MarketplacePermission.EXTENSIONS_REVIEW, resource="marketplace")
            reviewer = True
        except (PermissionDenied, TwoFactorRequired):
            reviewer = False
    return Caller(principal.user_id, is_admin=reviewer)


async def caller_with_email(principal: Principal, authorizer: Authorizer, users: UserRepository) -> Caller:
    """The caller with their own account's address: where a new publisher's review mail goes."""
    caller = await caller_of(principal, authorizer)
    account = await users.get(principal.user_id)
    return Caller(caller.user_id, caller.is_admin, account.email.value if account else "")
