"""Roles x endpoints x owner/non-owner, over HTTP.

Endpoints come from the app's OpenAPI document: each is either listed as public or has a row
here naming its permission, so a new endpoint without a row fails instead of going unchecked.
Every caller without the permission is refused (401 anonymous, 403 under-privileged, 404
someone else's resource) and every entitled caller gets past authorization.

Administrative routes are not listed by hand: they are the routes whose guard names an
administrative permission (required, or as the override that widens the route to other
people's records), read from the app. That is the only way an administrative grant reaches an
``Actor``, so a new administrative route cannot be left out. On each, an admin's session
without two-factor is refused (403 ``two_factor_required``), one with two-factor gets through,
and an admin's API key never carries the administrative grant."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from dishka import Provider, Scope
from litestar import Litestar
from litestar.routes import HTTPRoute

from devforge.application.common.actor import Actor as GrantedActor
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.principal import Principal
from devforge.application.identity.signed_in import SignedIn
from devforge.bootstrap.permissions import ROLE_TABLE
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.identity.role_table import RoleTable
from devforge.domain.identity.roles import Role
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.shared.permissions import Permission
from devforge.entrypoints.http.authorization import administrative_grants, required_permission
from tests.access_world import PASSWORD, Actor, build_cast, key_actor
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
    ("GET", "/api/payments/sandbox/onboarding/{account_id}"),  # the unguessable account id is the credential
    ("POST", "/api/payments/sandbox/onboarding/{account_id}/advance"),
    ("POST", "/api/payments/sandbox/onboarding/{account_id}/restrict"),
    ("GET", "/api/extensions"),
    ("GET", "/api/extensions/signing-keys"),
    ("POST", "/api/extensions/installs"),
    ("GET", "/api/extensions/{extension_id}"),
    ("GET", "/api/extensions/{extension_id}/compatible"),
    ("GET", "/api/extensions/{extension_id}/download"),  # a paid one checks the (optional) caller's license
    ("GET", "/api/extensions/{extension_id}/reviews"),
    ("GET", "/api/extensions/{extension_id}/dist-tags"),
    ("GET", "/files/{token}"),  # the signed, expiring link is the credential
    ("POST", "/api/analytics/events"),  # an ingestion key or a license key is the credential (checked in the use case)
}
AUTHORIZATION_CODES = {"session_invalid", "api_key_invalid", "permission_denied", "two_factor_required", "not_found"}
CODE = {"code": "000000"}
NIL = "00000000-0000-0000-0000-000000000000"
PERIOD = {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z", "interval": "week"}
MISSING_LICENSE_KEY = "DF-00000-00000-00000-00000-00000-00000"  # malformed or missing: past authorization either way


@dataclass(frozen=True)
class Route:
    permission: Permission
    body: dict[str, Any] | None = None
    owned: bool = False
    query: dict[str, str] = field(default_factory=dict)


ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/api/auth/me"): Route(IdentityPermission.USERS_READ_SELF),
    ("POST", "/api/analytics/ingestion-keys"): Route(AnalyticsPermission.KEYS_MANAGE, body={"name": "matrix"}),
    ("GET", "/api/analytics/ingestion-keys"): Route(AnalyticsPermission.KEYS_MANAGE),
    ("DELETE", "/api/analytics/ingestion-keys/{ingestion_key_id}"): Route(AnalyticsPermission.KEYS_MANAGE),
    ("POST", "/api/analytics/erasures"): Route(AnalyticsPermission.ERASE, body={"distinctId": "matrix-install"}),
    ("GET", "/api/analytics/erasures"): Route(AnalyticsPermission.ERASE),
    ("GET", "/api/analytics/metrics"): Route(
        AnalyticsPermission.OWN, query={"metric": "extensions.downloads", "from": PERIOD["from"], "to": PERIOD["to"]}
    ),  # a developer reads their own extensions' (none here: an empty series), another's is 404 (tests/.../metrics)
    ("GET", "/api/analytics/metrics/definitions"): Route(AnalyticsPermission.OWN),
    ("GET", "/api/analytics/dashboard"): Route(AnalyticsPermission.OWN),
    ("GET", "/api/analytics/live"): Route(AnalyticsPermission.READ, query={"seconds": "0"}),
    ("GET", "/api/analytics/forecasts"): Route(
        AnalyticsPermission.READ, query={"metric": "revenue.mrr", "currency": "EUR"}
    ),
    ("POST", "/api/analytics/alerts"): Route(
        AnalyticsPermission.ALERTS_MANAGE,
        body={"name": "matrix", "metric": "extensions.downloads", "condition": "above", "threshold": 1},
    ),
    ("GET", "/api/analytics/alerts"): Route(AnalyticsPermission.ALERTS_MANAGE),
    ("GET", "/api/analytics/alerts/{rule_id}"): Route(AnalyticsPermission.ALERTS_MANAGE),
    ("DELETE", "/api/analytics/alerts/{rule_id}"): Route(AnalyticsPermission.ALERTS_MANAGE),
    ("PUT", "/api/analytics/alerts/{rule_id}/subscription"): Route(AnalyticsPermission.ALERTS_MANAGE),
    ("DELETE", "/api/analytics/alerts/{rule_id}/subscription"): Route(AnalyticsPermission.ALERTS_MANAGE),
    ("GET", "/api/analytics/reports"): Route(AnalyticsPermission.READ),
    ("POST", "/api/analytics/exports"): Route(
        AnalyticsPermission.EXPORT,
        body={"kind": "events", "format": "csv", "start": "2026-11-01T00:00:00Z", "end": "2026-11-02T00:00:00Z"},
    ),
    ("GET", "/api/analytics/exports/{export_id}"): Route(AnalyticsPermission.EXPORT),
    ("PUT", "/api/analytics/reports/{report_key}/subscription"): Route(AnalyticsPermission.READ),
    ("DELETE", "/api/analytics/reports/{report_key}/subscription"): Route(AnalyticsPermission.READ),
    ("GET", "/api/analytics/reports/{report_key}/runs/{run_id}/files/{file_format}"): Route(AnalyticsPermission.READ),
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
    ("GET", "/api/payments/statements"): Route(BillingPermission.EXTENSIONS_SELL),
    ("GET", "/api/payments/statements/{publisher_id}/{month}"): Route(BillingPermission.EXTENSIONS_SELL),
    ("GET", "/api/payments/statements/{publisher_id}/{month}/csv"): Route(BillingPermission.EXTENSIONS_SELL),
    ("GET", "/api/payments/statements/{publisher_id}/{month}/pdf"): Route(BillingPermission.EXTENSIONS_SELL),
    ("GET", "/api/payments/revenue"): Route(BillingPermission.EXTENSIONS_SELL, query={"publisherId": NIL}),
    ("PUT", "/api/payments/tax-profile"): Route(
        BillingPermission.EXTENSIONS_SELL,
        body={"publisherId": NIL, "form": "w9", "name": "A", "address": "a", "signerName": "A", "entityType": "llc"},
    ),
    ("GET", "/api/payments/tax-profile"): Route(BillingPermission.EXTENSIONS_SELL, query={"publisherId": NIL}),
    ("GET", "/api/payments/tax-profile/forms/{year}/{form}"): Route(
        BillingPermission.EXTENSIONS_SELL, query={"publisherId": NIL}
    ),
    ("GET", "/api/payments/tax-reports/{year}/1099-k.csv"): Route(BillingPermission.FINANCE_READ),
    ("GET", "/api/payments/tax-reports/{year}/1099-nec.csv"): Route(BillingPermission.FINANCE_READ),
    ("GET", "/api/payments/tax-reports/{year}/dac7.csv"): Route(BillingPermission.FINANCE_READ),
    ("GET", "/api/payments/tax-reports/{year}/1099-k/{file}"): Route(BillingPermission.FINANCE_READ),
    ("GET", "/api/payments/tax-reports/{year}/1099-nec/{file}"): Route(BillingPermission.FINANCE_READ),
    ("POST", "/api/payments/service-payments"): Route(
        BillingPermission.ADMIN,
        body={"paymentId": NIL, "publisherId": NIL, "amount": 100, "currency": "USD", "description": "x"},
    ),
    ("POST", "/api/payments/payouts/account"): Route(
        BillingPermission.EXTENSIONS_SELL, body={"publisherId": NIL, "country": "DE"}
    ),
    ("GET", "/api/payments/payouts/account"): Route(BillingPermission.EXTENSIONS_SELL, query={"publisherId": NIL}),
    ("GET", "/api/payments/admin/payout-accounts"): Route(BillingPermission.ADMIN),
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
    ("PUT", "/api/extensions/{extension_id}/prices"): Route(
        BillingPermission.EXTENSIONS_SELL,
        body={"policyId": NIL, "prices": [{"currency": "EUR", "interval": "one_time", "amount": 100}]},
    ),
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
    ("GET", "/api/extensions/review-queue"): Route(MarketplacePermission.EXTENSIONS_REVIEW),
    ("GET", "/api/payments/payouts"): Route(BillingPermission.EXTENSIONS_SELL, query={"publisherId": NIL}),
    ("PUT", "/api/payments/admin/payout-holds/{publisher_id}"): Route(
        BillingPermission.ADMIN, body={"held": True, "reason": "review"}
    ),
    ("GET", "/api/payments/admin/payout-holds/{publisher_id}"): Route(BillingPermission.ADMIN),
    ("GET", "/api/payments/reports/revenue"): Route(BillingPermission.FINANCE_READ, query=PERIOD),
    ("GET", "/api/payments/reports/revenue.csv"): Route(BillingPermission.FINANCE_READ, query=PERIOD),
    ("GET", "/api/payments/reports/refunds"): Route(BillingPermission.FINANCE_READ, query=PERIOD),
    ("GET", "/api/payments/reports/refunds.csv"): Route(BillingPermission.FINANCE_READ, query=PERIOD),
    ("GET", "/api/payments/reports/fees"): Route(BillingPermission.FINANCE_READ, query=PERIOD),
    ("GET", "/api/payments/reports/fees.csv"): Route(BillingPermission.FINANCE_READ, query=PERIOD),
    ("GET", "/api/payments/reports/tax"): Route(BillingPermission.FINANCE_READ, query=PERIOD),
    ("GET", "/api/payments/reports/tax.csv"): Route(BillingPermission.FINANCE_READ, query=PERIOD),
    ("GET", "/api/payments/reports/payables"): Route(BillingPermission.FINANCE_READ, query=PERIOD),
    ("GET", "/api/payments/reports/payables.csv"): Route(BillingPermission.FINANCE_READ, query=PERIOD),
    ("GET", "/api/payments/reports/reconciliation"): Route(BillingPermission.FINANCE_READ, query=PERIOD),
    ("GET", "/api/payments/reports/reconciliation.csv"): Route(BillingPermission.FINANCE_READ, query=PERIOD),
}


DOCUMENTED = {"GET", "POST", "PUT", "PATCH", "DELETE"}
"""The methods of the OpenAPI document (not the CORS preflight OPTIONS Litestar adds)."""


def operations(app: Litestar) -> set[tuple[str, str]]:
    paths = app.openapi_schema.paths or {}
    return {(m, path) for path, item in paths.items() for m in DOCUMENTED if getattr(item, m.lower()) is not None}


def handlers_by_operation(app: Litestar) -> dict[tuple[str, str], Any]:
    return {
        (method, route.path_format): handler
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        for method in handler.http_methods
        if method in DOCUMENTED
    }


def guards_by_operation(app: Litestar) -> dict[tuple[str, str], Permission | None]:
    return {operation: required_permission(handler) for operation, handler in handlers_by_operation(app).items()}


def administrative_routes(app: Litestar) -> dict[tuple[str, str], frozenset[Permission]]:
    """Every route whose guard may grant an administrative permission, read from the app."""
    found = {op: administrative_grants(handler) for op, handler in handlers_by_operation(app).items()}
    return {op: grants for op, grants in found.items() if grants}


ADMINISTRATIVE = administrative_routes(build_client()[0].app)


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
        "{ingestion_key_id}": NIL,
        "{rule_id}": NIL,
        "{report_key}": "platform-weekly",
        "{run_id}": NIL,
        "{export_id}": NIL,
        "{file_format}": "pdf",
        "{version}": "1.0.0",
        "{tag}": "next",
        "{month}": "2026-01",
        "{year}": "2026",
        "{file}": f"{NIL}.pdf",
        "{form}": "1099-k.pdf",
    }
    for placeholder, value in ids.items():
        path = path.replace(placeholder, str(value))
    assert "{" not in path, f"add the path parameter of {path} to the matrix"
    return path


def expected_status(actor: Actor | None, route: Route, target: Actor, *, administrative: bool) -> int | None:
    """None: allowed, so it must get past authorization."""
    if actor is None:
        return 401
    if actor.name not in HOLDERS[route.permission] or (administrative and actor.name == "admin_without_2fa"):
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
                want = expected_status(actor, route, target, administrative=(method, path) in ADMINISTRATIVE)
                code = response.json().get("code") if response.status_code >= 400 and response.content else None
                refused = response.status_code in (401, 403, 404) and code in AUTHORIZATION_CODES
                name = actor.name if actor else "anonymous"
                on = f" on {target.name}'s" if route.owned else ""
                if want is None and (refused or response.status_code >= 500):
                    wrong.append(f"{name}{on}: should pass, got {response.status_code} {code}")
                if want is not None and response.status_code != want:
                    wrong.append(f"{name}{on}: expected {want}, got {response.status_code} {code}")
    assert not wrong, f"{method} {path}\n" + "\n".join(wrong)


def test_administrative_routes_come_from_the_guards_and_span_licensing_billing_and_the_marketplace() -> None:
    prefixes = {
        "licensing": "/api/licens",
        "billing": "/api/payments",
        "marketplace": ("/api/extensions", "/api/publishers"),
    }
    for context, prefix in prefixes.items():
        assert any(path.startswith(prefix) for _, path in ADMINISTRATIVE), f"no administrative route of {context}"
    assert set(ADMINISTRATIVE) <= set(ROUTES)
    assert all(grant.administrative for grants in ADMINISTRATIVE.values() for grant in grants)


class RecordingAuthorizer(Authorizer):
    """The real authorizer, keeping each actor it builds so a test can see what a guard granted."""

    def __init__(self, accounts: SignedIn, roles: RoleTable, built: list[GrantedActor]) -> None:
        super().__init__(accounts, roles)
        self._built = built

    async def actor(
        self, principal: Principal, permission: Permission, *, override: Permission | None = None, resource: str = ""
    ) -> GrantedActor:
        actor = await super().actor(principal, permission, override=override, resource=resource)
        self._built.append(actor)
        return actor


def recording(built: list[GrantedActor]) -> Provider:
    def authorizer(accounts: SignedIn, roles: RoleTable) -> Authorizer:
        return RecordingAuthorizer(accounts, roles, built)

    provider = Provider(scope=Scope.REQUEST)
    provider.provide(authorizer)
    return provider


def problem_code(response: Any) -> str | None:
    if response.status_code < 400 or not response.content:
        return None
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json().get("code")  # type: ignore[no-any-return]


@pytest.mark.parametrize(("method", "path"), sorted(ADMINISTRATIVE), ids=lambda part: part)
async def test_an_administrative_route_needs_an_admin_session_with_two_factor_and_no_key_gets_its_grant(
    method: str, path: str
) -> None:
    route, grants = ROUTES[(method, path)], ADMINISTRATIVE[(method, path)]
    built: list[GrantedActor] = []
    client, container, _ = build_client(recording(built))
    async with client:
        cast = await build_cast(container)
        machine_scopes = [p.name for p in ROLE_TABLE.permissions_of(Role.ADMIN) if p.on_api_keys]
        admin_key = await key_actor(container, "admin_key", cast.by_name("admin_with_2fa"), machine_scopes)

        async def call(actor: Actor) -> Any:
            headers = {"Authorization": f"Bearer {actor.token}"}
            target = url(path, cast.victim)
            return await client.request(method, target, headers=headers, json=route.body, params=route.query)

        refused = await call(cast.by_name("admin_without_2fa"))
        assert (refused.status_code, problem_code(refused)) == (403, "two_factor_required")

        built.clear()
        allowed = await call(cast.by_name("admin_with_2fa"))
        code = problem_code(allowed)
        assert allowed.status_code < 500 and code not in AUTHORIZATION_CODES - {"not_found"}, (
            allowed.status_code,
            code,
        )
        assert [grants <= actor.grants for actor in built] == [True]

        built.clear()
        by_key = await call(admin_key)
        assert problem_code(by_key) != "two_factor_required"
        assert not any(p.administrative for actor in built for p in actor.grants)
        if route.permission.administrative:
            assert (by_key.status_code, problem_code(by_key), built) == (403, "permission_denied", [])
        elif route.permission.on_api_keys:
            assert [actor.via_api_key for actor in built] == [True]  # let through, as its owner only
