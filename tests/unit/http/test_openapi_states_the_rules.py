"""The OpenAPI document states the rules the API checks past the door (issue 10: a request the
schema calls valid must not be refused for its form)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from devforge.adapters.payments.stripe_signature import sign
from devforge.entrypoints.http import stated_rules


def text_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The string branch of an optional field (``oneOf: [string, null]``), else the schema."""
    branches = [b for b in schema.get("oneOf", []) if b.get("type") == "string"]
    return {**schema, **branches[0]} if branches else schema


def body_field(document: dict[str, Any], struct: str, field: str) -> dict[str, Any]:
    return text_schema(document["components"]["schemas"][struct]["properties"][field])


def parameter(document: dict[str, Any], method: str, path: str, name: str) -> dict[str, Any]:
    [found] = [p for p in document["paths"][path][method]["parameters"] if p["name"] == name]
    return dict(found)


def test_every_license_key_in_a_path_or_a_body_has_the_key_shape(document: dict[str, Any]) -> None:
    keyed = [(path, method) for path, item in document["paths"].items() if "{license_key}" in path for method in item]
    assert len(keyed) == 6
    for path, method in keyed:
        assert parameter(document, method, path, "license_key")["schema"]["pattern"] == stated_rules.LICENSE_KEY
    assert body_field(document, "ValidateLicenseRequest", "key")["pattern"] == stated_rules.LICENSE_KEY


def test_versions_kinds_and_platforms_of_the_marketplace_are_stated(document: dict[str, Any]) -> None:
    compatible = parameter(document, "get", "/api/extensions/{extension_id}/compatible", "editorVersion")
    download = "/api/extensions/{extension_id}/download"
    assert compatible["schema"]["pattern"] == stated_rules.SEMVER
    assert parameter(document, "get", download, "version")["schema"]["pattern"] == stated_rules.SEMVER
    assert parameter(document, "get", download, "kind")["schema"]["enum"] == ["install", "update"]
    assert parameter(document, "get", download, "targetPlatform")["schema"]["enum"] == stated_rules.TARGET_PLATFORMS
    assert body_field(document, "VersionSlotRequest", "version")["pattern"] == stated_rules.SEMVER


def test_a_region_is_a_us_state_and_a_currency_one_we_accept(document: dict[str, Any]) -> None:
    pricing = "/api/payments/pricing"
    assert parameter(document, "get", pricing, "region")["schema"]["enum"] == stated_rules.US_STATES
    assert body_field(document, "CheckoutRequestBody", "region")["enum"] == stated_rules.US_STATES
    assert parameter(document, "get", pricing, "currency")["schema"]["enum"] == stated_rules.CURRENCIES
    assert body_field(document, "CheckoutRequestBody", "currency")["enum"] == stated_rules.CURRENCIES


@pytest.mark.parametrize(
    ("struct", "field"),
    [
        ("CreateProductRequest", "name"),
        ("RenameProductRequest", "name"),
        ("CreatePolicyRequest", "name"),
        ("UpdatePolicyRequest", "name"),
        ("DefineEntitlementRequest", "name"),
    ],
)
def test_a_name_is_1_to_100_characters_not_all_blank(document: dict[str, Any], struct: str, field: str) -> None:
    schema = body_field(document, struct, field)
    assert (schema["maxLength"], schema["pattern"]) == (100, stated_rules.NOT_BLANK)


def test_codes_namespaces_and_domains_have_their_shapes(document: dict[str, Any]) -> None:
    assert body_field(document, "CreateProductRequest", "code")["pattern"] == stated_rules.PRODUCT_CODE
    assert body_field(document, "DefineEntitlementRequest", "code")["pattern"] == stated_rules.ENTITLEMENT_CODE
    assert body_field(document, "RegisterPublisherRequest", "namespace")["pattern"] == stated_rules.NAMESPACE
    assert body_field(document, "RegisterPublisherRequest", "displayName")["pattern"] == stated_rules.NOT_BLANK
    assert body_field(document, "StartVerificationRequest", "domain")["pattern"] == stated_rules.DOMAIN_NAME


def test_a_new_password_is_8_to_128_characters_and_an_email_an_address(document: dict[str, Any]) -> None:
    for struct, field in (("RegisterRequest", "password"), ("ConfirmResetRequest", "newPassword")):
        schema = body_field(document, struct, field)
        assert (schema["minLength"], schema["maxLength"]) == (8, 128)
    for struct in ("RegisterRequest", "LoginRequest", "ResetPasswordRequest"):
        schema = body_field(document, struct, "email")
        assert (schema["maxLength"], schema["pattern"]) == (254, stated_rules.EMAIL)


def test_the_webhook_states_its_signature_header_as_required(document: dict[str, Any]) -> None:
    header = parameter(document, "post", "/api/payments/webhook", "Stripe-Signature")
    assert (header["in"], header["required"]) == ("header", True)
    genuine = sign(b'{"id": "evt_1"}', "whsec_test", 1_765_000_000)
    assert re.search(header["schema"]["pattern"], genuine)
    assert not re.search(header["schema"]["pattern"], "t=1765000000")
