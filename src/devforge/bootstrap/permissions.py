"""The role table: which role holds which permission, for every context, in one place.

Each context declares its permission names in its own package (``domain/<context>/
permissions.py``); here the composition root decides who holds them. A context added later
adds its grants to ``ROLE_TABLE`` and nothing else: identity never lists them.
"""

from __future__ import annotations

from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.identity.permissions import OWN_ACCOUNT, IdentityPermission
from devforge.domain.identity.role_table import RoleGrants, RoleTable
from devforge.domain.identity.roles import Role
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.marketplace.permissions import MarketplacePermission

IDENTITY: RoleGrants = {
    Role.CUSTOMER: OWN_ACCOUNT,
    Role.DEVELOPER: OWN_ACCOUNT,
    Role.ADMIN: OWN_ACCOUNT | {IdentityPermission.USERS_ADMIN, IdentityPermission.AUDIT_READ},
}

_LICENSEE = {LicensingPermission.LICENSES_READ_OWN}
_VENDOR = _LICENSEE | {LicensingPermission.LICENSES_MANAGE}
LICENSING: RoleGrants = {
    Role.CUSTOMER: _LICENSEE,
    Role.DEVELOPER: _VENDOR,
    Role.ADMIN: _VENDOR,
}

_BUYER = {BillingPermission.ORDERS_PLACE, BillingPermission.INVOICES_READ_OWN, BillingPermission.REFUNDS_REQUEST}
BILLING: RoleGrants = {
    Role.CUSTOMER: _BUYER,
    Role.DEVELOPER: _BUYER,
    Role.ADMIN: _BUYER,
}

_PUBLISHER = {MarketplacePermission.EXTENSIONS_PUBLISH, MarketplacePermission.PUBLISHERS_MANAGE}
MARKETPLACE: RoleGrants = {
    Role.DEVELOPER: _PUBLISHER,
    Role.ADMIN: _PUBLISHER | {MarketplacePermission.EXTENSIONS_REVIEW},
}

ROLE_TABLE = RoleTable.of(IDENTITY, LICENSING, BILLING, MARKETPLACE)
