"""The one place that answers "may this caller do this?".

``Authorizer`` checks a named permission against the role table (the caller's role and, for an
API key, its scopes) and adds the checks that need the account itself: administrative
permissions need a current admin with two-factor enabled. ``Authorizer.actor`` builds, once per
request, the ``Actor`` every other context's use cases ask. ``ensure_owner`` checks that a
resource is the caller's own. Every refusal is logged with who asked for what.
"""

from __future__ import annotations

from uuid import UUID

import structlog

from devforge.application.common.actor import Actor
from devforge.application.identity.principal import Principal
from devforge.application.identity.signed_in import SignedIn
from devforge.domain.identity.errors import PermissionDenied, ResourceNotFound, TwoFactorRequired
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.identity.role_table import RoleTable
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import UserStatus
from devforge.domain.shared.permissions import Permission

__all__ = ["Authorizer", "IdentityPermission", "Permission", "ensure_owner", "not_found"]

log = structlog.get_logger(__name__)


def ensure_owner(principal: Principal, owner_id: UUID, *, resource: str) -> None:
    """Someone else's resource answers exactly like a missing one (404), so ids cannot be probed."""
    if principal.user_id != owner_id:
        _denied(principal, None, resource, "not_owner", owner_id=str(owner_id))
        raise not_found(resource)


def not_found(resource: str) -> ResourceNotFound:
    """The one answer for a missing resource and for someone else's."""
    return ResourceNotFound(f"No {resource.replace('_', ' ')} with this id.")


class Authorizer:
    """The role table plus, for administrative permissions, a fresh look at the account: it must
    still be an active admin (a demotion counts at once, not when the token expires) and have
    two-factor enabled. The account comes from ``SignedIn``, the near cache every change to a
    role, a status or two-factor drops in every process before it answers (no I/O when warm).
    Request-scoped; a permission granted once is not re-checked in the request."""

    def __init__(self, accounts: SignedIn, roles: RoleTable) -> None:
        self._accounts, self._roles = accounts, roles
        self._granted: set[tuple[UUID, UUID | None, Permission]] = set()

    async def __call__(self, principal: Principal, permission: Permission, *, resource: str = "") -> None:
        key = (principal.user_id, principal.api_key_id, permission)
        if key in self._granted:
            return
        if not self.holds(principal, permission):
            _denied(principal, permission, resource, "permission_not_held")
            raise PermissionDenied("You are not allowed to do this.")
        if permission.administrative:
            await self._ensure_admin_account(principal, permission, resource)
        self._granted.add(key)

    async def actor(
        self, principal: Principal, permission: Permission, *, override: Permission | None = None, resource: str = ""
    ) -> Actor:
        """The caller, granted ``permission`` (refused otherwise) and holding its role's other
        permissions, narrowed to a key's scopes. An administrative permission is held only when
        this request established it: ``permission`` itself, or the route's ``override``, which
        widens the route to other people's records. An API key never gets an override (it acts
        as its owner); an admin's session without two-factor is refused (403
        ``two_factor_required``) rather than quietly acting as a plain user; an account that is
        no longer an admin acts as the role it has now."""
        await self(principal, permission, resource=resource)
        held = {p for p in self._roles.permissions_of(principal.role) if not p.administrative}
        grants = {p for p in held if principal.scopes is None or p.name in principal.scopes} | {permission}
        if override is not None and await self._overridden(principal, override, resource):
            grants.add(override)
        return Actor(principal.user_id, frozenset(grants), via_api_key=principal.api_key_id is not None)

    async def _overridden(self, principal: Principal, override: Permission, resource: str) -> bool:
        if not override.administrative:
            raise ValueError(f"{override.name} is no override: only administrative permissions widen a route")
        if principal.api_key_id is not None or not self._roles.grants(principal.role, override):
            return False
        try:
            await self(principal, override, resource=resource)
        except PermissionDenied:  # demoted since the token was issued (TwoFactorRequired goes through)
            return False
        return True

    def holds(self, principal: Principal, permission: Permission) -> bool:
        """Deny by default: the role lists the permission, and a key's scopes do too (no account read)."""
        return self._roles.grants(principal.role, permission, principal.scopes)

    async def _ensure_admin_account(self, principal: Principal, permission: Permission, resource: str) -> None:
        user = await self._accounts.account(principal.user_id)
        if user is None or user.status is UserStatus.DISABLED or not self._roles.grants(user.role, permission):
            _denied(principal, permission, resource, "role_changed")
            raise PermissionDenied("You are not allowed to do this.")
        if not user.two_factor_enabled:
            _denied(principal, permission, resource, "two_factor_required")
            raise TwoFactorRequired("Turn on two-factor authentication to use admin functions.")


def _denied(principal: Principal, permission: Permission | None, resource: str, reason: str, **extra: str) -> None:
    log.warning(
        "authorization_denied",
        user_id=str(principal.user_id),
        role=Role(principal.role).value,
        permission=permission.name if permission else None,
        resource=resource,
        reason=reason,
        api_key_id=str(principal.api_key_id) if principal.api_key_id else None,
        **extra,
    )
