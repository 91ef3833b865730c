"""The one place that answers "may this caller do this?".

``authorize`` checks a named permission against the caller's role (and, for an API key, its
scopes); ``ensure_owner`` checks that a resource is the caller's own; ``Authorizer`` adds the
checks that need the account itself: administrative permissions need a current admin with
two-factor enabled. Every refusal is logged with who asked for what.
"""

from __future__ import annotations

from uuid import UUID

import structlog

from devforge.application.identity.ports import UserRepository
from devforge.application.identity.principal import Principal
from devforge.domain.identity.errors import PermissionDenied, ResourceNotFound, TwoFactorRequired
from devforge.domain.identity.permissions import Permission, grants, may_touch
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import UserStatus

__all__ = ["Authorizer", "Permission", "authorize", "ensure_owner", "not_found"]

log = structlog.get_logger(__name__)


def authorize(principal: Principal, permission: Permission, *, resource: str = "") -> None:
    """Deny by default: allowed only when the role lists the permission and a key's scopes do too."""
    if not grants(principal.role, permission, principal.scopes):
        _denied(principal, permission, resource, "permission_not_held")
        raise PermissionDenied("You are not allowed to do this.")


def ensure_owner(principal: Principal, owner_id: UUID, *, resource: str, override: Permission | None = None) -> None:
    """Someone else's resource answers exactly like a missing one (404), so ids cannot be probed;
    only a caller holding ``override`` reaches other people's resources."""
    allowed = may_touch(
        actor_id=principal.user_id,
        role=principal.role,
        owner_id=owner_id,
        override=override,
        scopes=principal.scopes,
    )
    if not allowed:
        _denied(principal, override, resource, "not_owner", owner_id=str(owner_id))
        raise not_found(resource)


def not_found(resource: str) -> ResourceNotFound:
    """The one answer for a missing resource and for someone else's."""
    return ResourceNotFound(f"No {resource.replace('_', ' ')} with this id.")


class Authorizer:
    """``authorize`` plus, for administrative permissions, a fresh look at the account: it must
    still be an active admin (a demotion counts at once, not when the token expires) and have
    two-factor enabled. Request-scoped; a permission granted once is not re-checked in the request."""

    def __init__(self, users: UserRepository) -> None:
        self._users = users
        self._granted: set[tuple[UUID, UUID | None, Permission]] = set()

    async def __call__(self, principal: Principal, permission: Permission, *, resource: str = "") -> None:
        key = (principal.user_id, principal.api_key_id, permission)
        if key in self._granted:
            return
        authorize(principal, permission, resource=resource)
        if permission.administrative:
            await self._ensure_admin_account(principal, permission, resource)
        self._granted.add(key)

    async def _ensure_admin_account(self, principal: Principal, permission: Permission, resource: str) -> None:
        user = await self._users.get(principal.user_id)
        if user is None or user.status is UserStatus.DISABLED or not grants(user.role, permission):
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
        permission=permission.value if permission else None,
        resource=resource,
        reason=reason,
        api_key_id=str(principal.api_key_id) if principal.api_key_id else None,
        **extra,
    )
