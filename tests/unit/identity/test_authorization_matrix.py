"""Roles x use cases x owner/non-owner, on in-memory adapters: every use case that acts for a
caller refuses the under-privileged (``NotPermitted``) and answers someone else's resource like
a missing one (``NotFound``), and lets the entitled through. Use cases are discovered, so a new
one without a row here fails the first test instead of going unchecked."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from dishka import AsyncContainer

import devforge.application
from devforge.application.identity.change_user_role import ChangeUserRoleHandler
from devforge.application.identity.confirm_two_factor import ConfirmTwoFactor, ConfirmTwoFactorHandler
from devforge.application.identity.create_api_key import CreateApiKey, CreateApiKeyHandler
from devforge.application.identity.disable_two_factor import DisableTwoFactor, DisableTwoFactorHandler
from devforge.application.identity.disable_user import DisableUserHandler
from devforge.application.identity.enable_user import EnableUserHandler
from devforge.application.identity.enroll_two_factor import EnrollTwoFactorHandler
from devforge.application.identity.get_current_user import GetCurrentUser
from devforge.application.identity.list_api_keys import ListApiKeys
from devforge.application.identity.list_auth_audit import ListAuthAudit
from devforge.application.identity.list_my_sessions import ListMySessions
from devforge.application.identity.list_users import ListUsers, ListUsersQuery
from devforge.application.identity.log_out import LogOutHandler
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.resend_verification import ResendVerificationHandler
from devforge.application.identity.revoke_api_key import RevokeApiKeyHandler
from devforge.application.identity.revoke_my_session import RevokeMySessionHandler
from devforge.application.identity.revoke_other_sessions import RevokeOtherSessionsHandler
from devforge.application.identity.show_user import ShowUser
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.identity.errors import PermissionDenied, ResourceNotFound, TwoFactorRequired
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.identity.roles import Role
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.shared.errors import DomainError
from devforge.domain.shared.permissions import Permission
from tests.access_world import PASSWORD, Actor, Cast, build_cast

Call = Callable[[Any, Actor, Actor], Awaitable[object]]

SESSION_HOLDERS = {"customer", "developer", "admin_without_2fa", "admin_with_2fa"}
OWN_ACCOUNT_HOLDERS = SESSION_HOLDERS | {"finance", "analyst"}
"""Every session holds its own account's permissions, a finance account and an analyst too."""
HOLDERS: dict[Permission, set[str]] = {
    IdentityPermission.USERS_READ_SELF: OWN_ACCOUNT_HOLDERS | {"developer_key", "admin_key"},
    IdentityPermission.USERS_MANAGE_SELF: OWN_ACCOUNT_HOLDERS,
    IdentityPermission.SESSIONS_MANAGE_OWN: OWN_ACCOUNT_HOLDERS,
    IdentityPermission.TWO_FACTOR_MANAGE_OWN: OWN_ACCOUNT_HOLDERS,
    IdentityPermission.API_KEYS_MANAGE_OWN: OWN_ACCOUNT_HOLDERS,
    LicensingPermission.LICENSES_READ_OWN: SESSION_HOLDERS,
    BillingPermission.ORDERS_PLACE: SESSION_HOLDERS,
    BillingPermission.INVOICES_READ_OWN: SESSION_HOLDERS,
    BillingPermission.REFUNDS_REQUEST: SESSION_HOLDERS,
    LicensingPermission.LICENSES_MANAGE: {"developer", "admin_without_2fa", "admin_with_2fa"},
    MarketplacePermission.EXTENSIONS_PUBLISH: {"developer", "developer_key", "admin_without_2fa", "admin_with_2fa"},
    MarketplacePermission.PUBLISHERS_MANAGE: {"developer", "admin_without_2fa", "admin_with_2fa"},
    BillingPermission.EXTENSIONS_SELL: {"developer", "admin_without_2fa", "admin_with_2fa"},
    MarketplacePermission.EXTENSIONS_REVIEW: {"admin_with_2fa"},
    IdentityPermission.USERS_ADMIN: {"admin_with_2fa"},
    IdentityPermission.AUDIT_READ: {"admin_with_2fa"},
    BillingPermission.FINANCE_READ: {"admin_with_2fa", "finance"},
    BillingPermission.ADMIN: {"admin_with_2fa"},
    AnalyticsPermission.READ: {"admin_with_2fa", "analyst"},
    AnalyticsPermission.OWN: {"developer", "admin_without_2fa", "admin_with_2fa", "analyst"},
    AnalyticsPermission.KEYS_MANAGE: {"admin_with_2fa"},
    AnalyticsPermission.ERASE: {"admin_with_2fa"},
    AnalyticsPermission.ALERTS_MANAGE: {"admin_with_2fa", "analyst"},
    AnalyticsPermission.EXPORT: {"admin_with_2fa", "analyst"},
}


@dataclass(frozen=True)
class Row:
    permission: Permission
    call: Call
    owned: bool = False  # the target is a resource with an owner: try the caller's own and the victim's


ROWS: dict[type, Row] = {
    GetCurrentUser: Row(IdentityPermission.USERS_READ_SELF, lambda h, a, t: h(a.principal)),
    LogOutHandler: Row(IdentityPermission.SESSIONS_MANAGE_OWN, lambda h, a, t: h(a.principal)),
    ListMySessions: Row(IdentityPermission.SESSIONS_MANAGE_OWN, lambda h, a, t: h(a.principal)),
    RevokeOtherSessionsHandler: Row(IdentityPermission.SESSIONS_MANAGE_OWN, lambda h, a, t: h(a.principal)),
    RevokeMySessionHandler: Row(
        IdentityPermission.SESSIONS_MANAGE_OWN, lambda h, a, t: h(a.principal, t.session_id), owned=True
    ),
    EnrollTwoFactorHandler: Row(IdentityPermission.TWO_FACTOR_MANAGE_OWN, lambda h, a, t: h(a.principal)),
    ConfirmTwoFactorHandler: Row(
        IdentityPermission.TWO_FACTOR_MANAGE_OWN, lambda h, a, t: h(a.principal, ConfirmTwoFactor("000000"))
    ),
    DisableTwoFactorHandler: Row(
        IdentityPermission.TWO_FACTOR_MANAGE_OWN, lambda h, a, t: h(a.principal, DisableTwoFactor("000000"))
    ),
    CreateApiKeyHandler: Row(
        IdentityPermission.API_KEYS_MANAGE_OWN,
        lambda h, a, t: h(a.principal, CreateApiKey("ci", ["users:read_self"], 7, password=PASSWORD)),
    ),
    ListApiKeys: Row(IdentityPermission.API_KEYS_MANAGE_OWN, lambda h, a, t: h(a.principal)),
    RevokeApiKeyHandler: Row(
        IdentityPermission.API_KEYS_MANAGE_OWN, lambda h, a, t: h(a.principal, t.own_key_id), owned=True
    ),
    ListUsers: Row(IdentityPermission.USERS_ADMIN, lambda h, a, t: h(a.principal, ListUsersQuery())),
    ShowUser: Row(IdentityPermission.USERS_ADMIN, lambda h, a, t: h(a.principal, t.user_id)),
    ChangeUserRoleHandler: Row(
        IdentityPermission.USERS_ADMIN, lambda h, a, t: h(a.principal, t.user_id, Role.DEVELOPER)
    ),
    DisableUserHandler: Row(IdentityPermission.USERS_ADMIN, lambda h, a, t: h(a.principal, t.user_id)),
    EnableUserHandler: Row(IdentityPermission.USERS_ADMIN, lambda h, a, t: h(a.principal, t.user_id)),
    ResendVerificationHandler: Row(IdentityPermission.USERS_MANAGE_SELF, lambda h, a, t: h(a.principal)),
    ListAuthAudit: Row(IdentityPermission.AUDIT_READ, lambda h, a, t: h(a.principal, user_id=None, limit=10)),
}


def use_cases_acting_for_a_caller() -> set[type]:
    """Every class in the application layer whose ``__call__`` takes a ``principal``."""
    found: set[type] = set()
    for module_info in pkgutil.walk_packages(devforge.application.__path__, "devforge.application."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            call = cls.__dict__.get("__call__")
            if cls.__module__ == module.__name__ and call and "principal" in inspect.signature(call).parameters:
                found.add(cls)
    return found - {Authorizer}


def test_every_use_case_acting_for_a_caller_is_in_the_matrix() -> None:
    assert use_cases_acting_for_a_caller() == set(ROWS)


def expected(actor: Actor, row: Row, target: Actor) -> type[DomainError] | None:
    if actor.name not in HOLDERS[row.permission]:
        if row.permission.administrative and actor.name == "admin_without_2fa":
            return TwoFactorRequired
        return PermissionDenied
    if row.owned and target.user_id != actor.user_id:
        return ResourceNotFound
    return None


async def outcome(container: AsyncContainer, use_case: type, row: Row, actor: Actor, target: Actor) -> str:
    async with container() as scope:
        try:
            await row.call(await scope.get(use_case), actor, target)
        except (PermissionDenied, TwoFactorRequired, ResourceNotFound) as refused:
            return type(refused).__name__
        except DomainError:
            return "allowed"  # past authorization; refused later for another reason (a wrong code)
    return "allowed"


@pytest.mark.parametrize("use_case", list(ROWS), ids=lambda cls: cls.__name__)
async def test_each_caller_gets_exactly_what_its_role_scopes_and_ownership_allow(
    memory_container: AsyncContainer, use_case: type
) -> None:
    row = ROWS[use_case]
    cast: Cast = await build_cast(memory_container)
    wrong: list[str] = []
    for actor in cast.actors:
        targets = [actor, cast.victim] if row.owned else [cast.victim]
        for target in targets:
            want = expected(actor, row, target)
            got = await outcome(memory_container, use_case, row, actor, target)
            if got != (want.__name__ if want else "allowed"):
                on = f" on {target.name}'s" if row.owned else ""
                wrong.append(f"{actor.name}{on}: expected {want.__name__ if want else 'allowed'}, got {got}")
    assert not wrong, "\n".join(wrong)
