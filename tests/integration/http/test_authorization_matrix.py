"""Roles x endpoints x owner/non-owner, over HTTP.

Endpoints come from the app's OpenAPI document: each is either listed as public or has a row
here naming its permission, so a new endpoint without a row fails instead of going unchecked.
Every caller without the permission is refused (401 anonymous, 403 under-privileged, 404
someone else's resource) and every entitled caller gets past authorization."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.shared.permissions import Permission
from devforge.entrypoints.http.authorization import required_permission
from tests.access_world import PASSWORD, Actor, build_cast
from tests.integration.http.conftest import build_client
from tests.unit.identity.test_authorization_matrix import HOLDERS

PUBLIC = {
    ("POST", "/api/auth/register"),
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/login/2fa"),
    ("POST", "/api/auth/refresh"),
    ("POST", "/api/auth/verify-email"),
    ("POST", "/api/auth/reset-password"),
    ("POST", "/api/auth/reset-password/confirm"),
    ("GET", "/health/live"),
    ("GET", "/health/ready"),
    ("POST", "/api/licenses/validate"),
    ("POST", "/api/licenses/activate"),
    ("POST", "/api/licenses/deactivate"),
    ("POST", "/api/licenses/heartbeat"),
    ("POST", "/api/licenses/checkout"),
    ("GET", "/api/licenses/public-keys"),
    ("GET", "/api/licenses/revocations"),
    ("GET", "/api/payments/pricing"),
    ("POST", "/api/payments/webhook"),  # the provider's signature is the credential
    ("GET", "/api/payments/sandbox/checkout/{session_id}"),  # the unguessable session id is the credential
    ("POST", "/api/payments/sandbox/checkout/{session_id}/pay"),
    ("POST", "/api/payments/sandbox/checkout/{session_id}/decline"),
    ("GET", "/api/extensions"),
    ("GET", "/api/extensions/signing-keys"),
    ("GET", "/api/extensions/{extension_id}"),
    ("GET", "/api/extensions/{extension_id}/compatible"),
    ("GET", "/api/extensions/{extension_id}/download"),  # a paid one checks the (optional) caller's license
    ("GET", "/api/extensions/{extension_id}/reviews"),
    ("GET", "/api/extensions/{extension_id}/dist-tags"),
    ("GET", "/files/{token}"),  # the signed, expiring link is the credential
}
AUTHORIZATION_CODES = {"session_invalid", "api_key_invalid", "permission_denied", "two_factor_required", "not_found"}
CODE = {"code": "000000"}
NIL = "00000000-0000-0000-0000-000000000000"
MISSING_LICENSE_KEY = "DF-00000-00000-00000-00000-00000-00000"  # malformed or missing: past authorization either way


@dataclass(frozen=True)
class Route:
    permission: Permission
    body: dict[str, Any] | None = None
    owned: bool = False
    query: dict[str, str] = field(default_factory=dict)


ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/api/auth/me"): Route(IdentityPermission.USERS_READ_SELF),
    ("POST", "/api/auth/logout"): Route(IdentityPermission.SESSIONS_MANAGE_OWN),
    ("POST", "/api/auth/verify-email/resend"): Route(IdentityPermission.USERS_MANAGE_SELF),
    ("GET", "/api/auth/sessions"): Route(IdentityPermission.SESSIONS_MANAGE_OWN),
    ("DELETE", "/api/auth/sessions/{session_id}"): Route(IdentityPermission.SESSIONS_MANAGE_OWN, owned=True),
    ("POST", "/api/auth/sessions/revoke-others"): Route(IdentityPermission.SESSIONS_MANAGE_OWN),
    ("POST", "/api/auth/2fa/enroll"): Route(IdentityPermission.TWO_FACTOR_MANAGE_OWN),
    ("POST", "/api/auth/2fa/confirm"): Route(IdentityPermission.TWO_FACTOR_MANAGE_OWN, body=CODE),
    ("POST", "/api/auth/2fa/disable"): Route(IdentityPermission.TWO_FACTOR_MANAGE_OWN, body=CODE),
    ("POST", "/api/auth/api-keys"): Route(
        IdentityPermission.API_KEYS_MANAGE_OWN,
        body={"name": "ci", "scopes": ["users:read_self"], "expiresInDays": 7, "password": PASSWORD},
    ),
    ("GET", "/api/auth/api-keys"): Route(IdentityPermission.API_KEYS_MANAGE_OWN),
    ("DELETE", "/api/auth/api-keys/{key_id}"): Route(IdentityPermission.API_KEYS_MANAGE_OWN, owned=True),
    ("GET", "/api/admin/users"): Route(IdentityPermission.USERS_ADMIN, query={"role": "customer"}),
    ("GET", "/api/admin/users/{user_id}"): Route(IdentityPermission.USERS_ADMIN),
    ("PUT", "/api/admin/users/{user_id}/role"): Route(IdentityPermission.USERS_ADMIN, body={"role": "developer"}),
    ("POST", "/api/admin/users/{user_id}/disable"): Route(IdentityPermission.USERS_ADMIN),
    ("POST", "/api/admin/users/{user_id}/enable"): Route(IdentityPermission.USERS_ADMIN),
    ("GET", "/api/admin/audit/auth"): Route(IdentityPermission.AUDIT_READ),
    ("GET", "/api/licenses"): Route(LicensingPermission.LICENSES_READ_OWN),
    ("GET", "/api/licenses/{license_key}"): Route(LicensingPermission.LICENSES_READ_OWN),
    ("GET", "/api/licenses/{license_key}/machines"): Route(LicensingPermission.LICENSES_READ_OWN),
    ("POST", "/api/licenses/generate"): Route(
        LicensingPermission.LICENSES_MANAGE, body={"productId": NIL, "policyId": NIL, "userId": NIL}
    ),
    ("PUT", "/api/licenses/{license_key}/renew"): Route(LicensingPermission.LICENSES_MANAGE),
    ("POST", "/api/licenses/{license_key}/suspend"): Route(LicensingPermission.LICENSES_MANAGE),
    ("POST", "/api/licenses/{license_key}/reinstate"): Route(LicensingPermission.LICENSES_MANAGE),
    ("DELETE", "/api/licenses/{license_key}"): Route(LicensingPermission.LICENSES_MANAGE, query={"reason": "test"}),
    ("POST", "/api/licensing/products"): Route(LicensingPermission.LICENSES_MANAGE, body={"code": "p", "name": "P"}),
    ("POST", "/api/licensing/policies"): Route(
        LicensingPermission.LICENSES_MANAGE, body={"productId": NIL, "name": "P"}
    ),
    ("GET", "/api/licensing/products"): Route(LicensingPermission.LICENSES_MANAGE),
    ("GET", "/api/licensing/products/{product_id}"): Route(LicensingPermission.LICENSES_MANAGE),
    ("PATCH", "/api/licensing/products/{product_id}"): Route(LicensingPermission.LICENSES_MANAGE, body={"name": "P"}),
    ("DELETE", "/api/licensing/products/{product_id}"): Route(LicensingPermission.LICENSES_MANAGE),
    ("GET", "/api/licensing/products/{product_id}/policies"): Route(LicensingPermission.LICENSES_MANAGE),
    ("GET", "/api/licensing/policies/{policy_id}"): Route(LicensingPermission.LICENSES_MANAGE),
    ("PATCH", "/api/licensing/policies/{policy_id}"): Route(LicensingPermission.LICENSES_MANAGE, body={"name": "P"}),
    ("DELETE", "/api/licensing/policies/{policy_id}"): Route(LicensingPermission.LICENSES_MANAGE),
    ("POST", "/api/licensing/products/{product_id}/entitlements"): Route(
        LicensingPermission.LICENSES_MANAGE, body={"code": "ai", "name": "AI"}
    ),
    ("GET", "/api/licensing/products/{product_id}/entitlements"): Route(LicensingPermission.LICENSES_MANAGE),
    ("DELETE", "/api/licensing/entitlements/{entitlement_id}"): Route(LicensingPermission.LICENSES_MANAGE),
    ("POST", "/api/payments/checkout"): Route(
        BillingPermission.ORDERS_PLACE, body={"product": "editor-pro", "currency": "USD"}
    ),
    ("GET", "/api/payments/orders"): Route(BillingPermission.ORDERS_PLACE),
    ("GET", "/api/payments/orders/{order_id}"): Route(BillingPermission.ORDERS_PLACE),
    ("GET", "/api/payments/invoices"): Route(BillingPermission.INVOICES_READ_OWN),
    ("GET", "/api/payments/invoices/{invoice_id}"): Route(BillingPermission.INVOICES_READ_OWN),
    ("GET", "/api/payments/invoices/{invoice_id}/pdf"): Route(BillingPermission.INVOICES_READ_OWN),
    ("GET", "/api/payments/credit-notes/{credit_note_id}"): Route(BillingPermission.INVOICES_READ_OWN),
    ("GET", "/api/payments/credit-notes/{credit_note_id}/pdf"): Route(BillingPermission.INVOICES_READ_OWN),
    ("POST", "/api/payments/refund"): Route(BillingPermission.REFUNDS_REQUEST, body={"orderId": NIL, "reason": "test"}),
    ("GET", "/api/developer/dashboard"): Route(MarketplacePermission.EXTENSIONS_PUBLISH),
    ("POST", "/api/publishers"): Route(
        MarketplacePermission.EXTENSIONS_PUBLISH,
        body={"namespace": "matrix-publisher", "displayName": "Matrix Publisher"},
    ),
    ("POST", "/api/publishers/{publisher_id}/members"): Route(
        MarketplacePermission.PUBLISHERS_MANAGE, body={"userId": NIL}
    ),
    ("DELETE", "/api/publishers/{publisher_id}/members/{user_id}"): Route(MarketplacePermission.PUBLISHERS_MANAGE),
    ("POST", "/api/publishers/{publisher_id}/verification"): Route(
        MarketplacePermission.EXTENSIONS_PUBLISH, body={"domain": "example.com"}
    ),
    ("POST", "/api/publishers/{publisher_id}/verification/check"): Route(MarketplacePermission.EXTENSIONS_PUBLISH),
    ("POST", "/api/extensions"): Route(
        MarketplacePermission.EXTENSIONS_PUBLISH, body={"publisherId": NIL, "name": "matrix-ext"}
    ),
    ("PUT", "/api/extensions/{extension_id}"): Route(
        MarketplacePermission.EXTENSIONS_PUBLISH, body={"displayName": "X"}
    ),
    ("DELETE", "/api/extensions/{extension_id}"): Route(MarketplacePermission.EXTENSIONS_PUBLISH),
    ("POST", "/api/extensions/{extension_id}/versions"): Route(
        MarketplacePermission.EXTENSIONS_PUBLISH, query={"version": "1.0.0"}
    ),
    ("POST", "/api/extensions/{extension_id}/review"): Route(
        MarketplacePermission.EXTENSIONS_PUBLISH, query={"version": "1.0.0"}
    ),
    ("GET", "/api/extensions/{extension_id}/versions/{version}/review"): Route(
        MarketplacePermission.EXTENSIONS_PUBLISH
    ),
    ("POST", "/api/extensions/{extension_id}/yank"): Route(
        MarketplacePermission.EXTENSIONS_PUBLISH, body={"version": "1.0.0"}
    ),
    ("POST", "/api/extensions/{extension_id}/deprecate"): Route(
        MarketplacePermission.EXTENSIONS_PUBLISH, body={"message": "x"}
    ),
    ("DELETE", "/api/extensions/{extension_id}/versions/{version}"): Route(MarketplacePermission.EXTENSIONS_PUBLISH),
    ("PUT", "/api/extensions/{extension_id}/dist-tags/{tag}"): Route(
        MarketplacePermission.EXTENSIONS_PUBLISH, body={"version": "1.0.0"}
    ),
    ("DELETE", "/api/extensions/{extension_id}/dist-tags/{tag}"): Route(MarketplacePermission.EXTENSIONS_PUBLISH),
    ("POST", "/api/extensions/{extension_id}/approve"): Route(
        MarketplacePermission.EXTENSIONS_REVIEW, body={"version": "1.0.0"}
    ),
    ("PUT", "/api/extensions/{extension_id}/reviews/mine"): Route(
        IdentityPermission.USERS_MANAGE_SELF, body={"stars": 5}
    ),
    ("GET", "/api/extensions/{extension_id}/reviews/mine"): Route(IdentityPermission.USERS_READ_SELF),
    ("DELETE", "/api/extensions/{extension_id}/reviews/mine"): Route(IdentityPermission.USERS_MANAGE_SELF),
    ("DELETE", "/api/extensions/{extension_id}/reviews/{review_id}"): Route(
        MarketplacePermission.EXTENSIONS_REVIEW, query={"reason": "spam"}
    ),
    ("POST", "/api/extensions/{extension_id}/reject"): Route(
        MarketplacePermission.EXTENSIONS_REVIEW, body={"version": "1.0.0", "reason": "no"}
    ),
    ("POST", "/api/extensions/{extension_id}/request-changes"): Route(
        MarketplacePermission.EXTENSIONS_REVIEW, body={"version": "1.0.0", "reason": "no"}
    ),
}


def operations(app: Litestar) -> set[tuple[str, str]]:
    paths = app.openapi_schema.paths or {}
    methods = ("get", "post", "put", "patch", "delete")
    return {(m.upper(), path) for path, item in paths.items() for m in methods if getattr(item, m) is not None}


def guards_by_operation(app: Litestar) -> dict[tuple[str, str], Permission | None]:
    found: dict[tuple[str, str], Permission | None] = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                for method in handler.http_methods:
                    found[(method, route.path_format)] = required_permission(handler)
    return found


def test_every_endpoint_is_public_by_name_or_in_the_matrix_with_the_guard_it_declares() -> None:
    client, _, _ = build_client()
    found = operations(client.app)
    assert not PUBLIC & set(ROUTES)
    assert found - PUBLIC - set(ROUTES) == set(), "classify these endpoints in the authorization matrix"
    assert set(ROUTES) - found == set(), "these matrix rows name endpoints that no longer exist"
    guards = guards_by_operation(client.app)
    assert {op: guards[op] for op in ROUTES} == {op: row.permission for op, row in ROUTES.items()}
    assert all(guards[op] is None for op in PUBLIC)


def url(path: str, target: Actor) -> str:
    assert target.own_key_id is not None
    ids = {
        "{user_id}": target.user_id,
        "{key_id}": target.own_key_id,
        "{session_id}": target.session_id,
        "{license_key}": MISSING_LICENSE_KEY,
        "{product_id}": NIL,  # someone else's or missing: 404 past authorization either way
        "{policy_id}": NIL,
        "{entitlement_id}": NIL,
        "{order_id}": NIL,
        "{invoice_id}": NIL,
        "{credit_note_id}": NIL,
        "{publisher_id}": NIL,
        "{extension_id}": NIL,
        "{review_id}": NIL,
        "{version}": "1.0.0",
        "{tag}": "next",
    }
    for placeholder, value in ids.items():
        path = path.replace(placeholder, str(value))
    assert "{" not in path, f"add the path parameter of {path} to the matrix"
    return path


def expected_status(actor: Actor | None, route: Route, target: Actor) -> int | None:
    """None: allowed, so it must get past authorization."""
    if actor is None:
        return 401
    if actor.name not in HOLDERS[route.permission]:
        return 403
    if route.owned and target.user_id != actor.user_id:
        return 404
    return None


@pytest.mark.parametrize(("method", "path"), sorted(ROUTES), ids=lambda part: part)
async def test_each_caller_is_refused_or_let_through_as_its_role_scopes_and_ownership_say(
    method: str, path: str
) -> None:
    route = ROUTES[(method, path)]
    client, container, _ = build_client()
    wrong: list[str] = []
    async with client:
        cast = await build_cast(container)
        callers: list[Actor | None] = [None, *cast.actors]
        for actor in callers:
            targets = [cast.victim, actor] if route.owned and actor else [cast.victim]
            for target in targets:
                headers = {"Authorization": f"Bearer {actor.token}"} if actor else {}
                response = await client.request(
                    method, url(path, target), headers=headers, json=route.body, params=route.query
                )
                want = expected_status(actor, route, target)
                code = response.json().get("code") if response.status_code >= 400 and response.content else None
                refused = response.status_code in (401, 403, 404) and code in AUTHORIZATION_CODES
                name = actor.name if actor else "anonymous"
                on = f" on {target.name}'s" if route.owned else ""
                if want is None and (refused or response.status_code >= 500):
                    wrong.append(f"{name}{on}: should pass, got {response.status_code} {code}")
                if want is not None and response.status_code != want:
                    wrong.append(f"{name}{on}: expected {want}, got {response.status_code} {code}")
    assert not wrong, f"{method} {path}\n" + "\n".join(wrong)
