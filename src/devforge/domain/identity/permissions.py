"""What each role may do, by named permission. Deny by default: a role holds exactly the
permissions listed for it here, and anything not listed (a new permission, an unknown role) is
refused until someone adds it on purpose."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from uuid import UUID

from devforge.domain.identity.roles import Role


class Permission(StrEnum):
    USERS_READ_SELF = "users:read_self"
    USERS_MANAGE_SELF = "users:manage_self"
    SESSIONS_MANAGE_OWN = "sessions:manage_own"
    TWO_FACTOR_MANAGE_OWN = "two_factor:manage_own"
    API_KEYS_MANAGE_OWN = "api_keys:manage_own"
    LICENSES_READ_OWN = "licenses:read_own"
    LICENSES_MANAGE = "licenses:manage"
    ORDERS_PLACE = "orders:place"
    INVOICES_READ_OWN = "invoices:read_own"
    REFUNDS_REQUEST = "refunds:request"
    EXTENSIONS_PUBLISH = "extensions:publish"
    PUBLISHERS_MANAGE = "publishers:manage"
    """Who belongs to a publisher. Never on a key: a leaked CI key must not be able to add its
    holder as a member, who would keep publishing after the key is revoked."""
    EXTENSIONS_REVIEW = "extensions:review"
    USERS_ADMIN = "users:admin"
    AUDIT_READ = "audit:read"

    @property
    def administrative(self) -> bool:
        """Acting on other people's accounts or records: needs two-factor and never goes to a key."""
        return self in _ADMINISTRATIVE

    @property
    def grantable_to_api_keys(self) -> bool:
        """A machine key may read and publish; it never manages credentials, sessions or users,
        so a leaked key cannot be turned into a takeover of the account."""
        return self in _MACHINE


_ADMINISTRATIVE = frozenset({Permission.USERS_ADMIN, Permission.AUDIT_READ, Permission.EXTENSIONS_REVIEW})
_MACHINE = frozenset(
    {
        Permission.USERS_READ_SELF,
        Permission.LICENSES_READ_OWN,
        Permission.ORDERS_PLACE,
        Permission.INVOICES_READ_OWN,
        Permission.EXTENSIONS_PUBLISH,
    }
)
_OWN_ACCOUNT = frozenset(
    {
        Permission.USERS_READ_SELF,
        Permission.USERS_MANAGE_SELF,
        Permission.SESSIONS_MANAGE_OWN,
        Permission.TWO_FACTOR_MANAGE_OWN,
        Permission.API_KEYS_MANAGE_OWN,
    }
)
_CUSTOMER = _OWN_ACCOUNT | {Permission.LICENSES_READ_OWN, Permission.ORDERS_PLACE}
_CUSTOMER |= {Permission.INVOICES_READ_OWN, Permission.REFUNDS_REQUEST}
_DEVELOPER = _CUSTOMER | {Permission.EXTENSIONS_PUBLISH, Permission.PUBLISHERS_MANAGE, Permission.LICENSES_MANAGE}
_ADMIN = _DEVELOPER | {Permission.USERS_ADMIN, Permission.AUDIT_READ, Permission.EXTENSIONS_REVIEW}

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = MappingProxyType(
    {Role.CUSTOMER: _CUSTOMER, Role.DEVELOPER: _DEVELOPER, Role.ADMIN: _ADMIN}
)


def permissions_of(role: Role) -> frozenset[Permission]:
    return ROLE_PERMISSIONS.get(role, frozenset())


def grants(role: Role, permission: str, scopes: frozenset[str] | None = None) -> bool:
    """The role must list the permission; a caller holding a key is further limited to its scopes."""
    return permission in permissions_of(role) and (scopes is None or permission in scopes)


def may_touch(
    *,
    actor_id: UUID,
    role: Role,
    owner_id: UUID,
    override: Permission | None = None,
    scopes: frozenset[str] | None = None,
) -> bool:
    """A resource belongs to its owner. Someone else reaches it only through an ``override``
    permission the route names (an admin's ``users:admin``); without one, even an admin does not."""
    if actor_id == owner_id:
        return True
    return override is not None and grants(role, override, scopes)
