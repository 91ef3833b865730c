"""The license API over HTTP: issue, show, activate, validate, revoke, and what it never logs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest
from litestar.testing import AsyncTestClient
from structlog.testing import capture_logs

from tests.integration.http.conftest import build_client

PASSWORD = "correct horse battery staple"


@pytest.fixture
async def client() -> AsyncIterator[AsyncTestClient]:
    test_client, _, _ = build_client()
    async with test_client as running:
        yield running


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def license_auth(key: str) -> dict[str, str]:
    return {"Authorization": f"License {key}"}


async def signed_in(client: AsyncTestClient, email: str, role: str) -> tuple[str, str]:
    """(access token, user id)"""
    registered = await client.post("/api/auth/register", json={"email": email, "password": PASSWORD, "role": role})
    tokens = (await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})).json()
    return str(tokens["accessToken"]), str(registered.json()["id"])


async def issued(client: AsyncTestClient, developer: str, customer_id: str, max_machines: int = 2) -> Any:
    product = await client.post(
        "/api/licensing/products", json={"code": "dev-forge-pro", "name": "Dev Forge Pro"}, headers=bearer(developer)
    )
    assert product.status_code == 201, product.text
    policy = await client.post(
        "/api/licensing/policies",
        json={"productId": product.json()["id"], "name": "Pro", "maxMachines": max_machines, "floating": True},
        headers=bearer(developer),
    )
    assert policy.status_code == 201, policy.text
    generated = await client.post(
        "/api/licenses/generate",
        json={"productId": product.json()["id"], "policyId": policy.json()["id"], "userId": customer_id},
        headers=bearer(developer),
    )
    assert generated.status_code == 201, generated.text
    return generated.json()


async def test_a_license_is_issued_shown_activated_validated_and_revoked(client: AsyncTestClient) -> None:
    developer, _ = await signed_in(client, "dev@example.com", "developer")
    customer, customer_id = await signed_in(client, "ada@example.com", "customer")
    generated = await issued(client, developer, customer_id, max_machines=2)
    key, license_id = generated["key"], generated["license"]["id"]
    assert key.startswith("DF-") and generated["license"]["userId"] == customer_id

    shown = await client.get(f"/api/licenses/{key}", headers=bearer(customer))
    assert (shown.status_code, shown.json()["id"]) == (200, license_id) and key not in shown.text
    assert (await client.get(f"/api/licenses/{key}", headers=bearer(developer))).status_code == 200  # product owner
    mine = await client.get("/api/licenses", headers=bearer(customer))
    assert [item["id"] for item in mine.json()] == [license_id]

    first = await client.post("/api/licenses/activate", json={"fingerprint": "machine-1"}, headers=license_auth(key))
    again = await client.post("/api/licenses/activate", json={"fingerprint": "machine-1"}, headers=license_auth(key))
    assert (first.status_code, again.status_code) == (201, 200), (first.text, again.text)
    assert first.json()["id"] == again.json()["id"]
    second = await client.post("/api/licenses/activate", json={"fingerprint": "machine-2"}, headers=license_auth(key))
    assert second.status_code == 201
    over = await client.post("/api/licenses/activate", json={"fingerprint": "machine-3"}, headers=license_auth(key))
    assert over.status_code == 409 and over.headers["content-type"].startswith("application/problem+json")
    assert over.json()["code"] == "MACHINE_LIMIT_EXCEEDED"

    valid = await client.post("/api/licenses/validate", json={"key": key, "fingerprint": "machine-1", "nonce": "n-1"})
    body = valid.json()
    assert (valid.status_code, body["valid"], body["code"], body["nonce"]) == (200, True, "VALID", "n-1")
    assert body["scope"]["fingerprint"] == "machine-1" and body["ts"]
    by_header = await client.post(
        "/api/licenses/validate", json={"fingerprint": "machine-1"}, headers=license_auth(key)
    )
    assert by_header.json()["code"] == "VALID"

    beat = await client.post("/api/licenses/heartbeat", json={"fingerprint": "machine-1"}, headers=license_auth(key))
    assert beat.status_code == 200 and beat.json()["lastHeartbeatAt"] is not None
    freed = await client.post("/api/licenses/deactivate", json={"fingerprint": "machine-2"}, headers=license_auth(key))
    assert freed.status_code == 200, freed.text

    assert (await client.delete(f"/api/licenses/{key}", headers=bearer(customer))).status_code == 403
    revoked = await client.delete(f"/api/licenses/{key}", params={"reason": "chargeback"}, headers=bearer(developer))
    assert (revoked.status_code, revoked.json()["status"]) == (200, "REVOKED"), revoked.text
    after = await client.post("/api/licenses/validate", json={"key": key, "fingerprint": "machine-1"})
    assert (after.json()["valid"], after.json()["code"]) == (False, "REVOKED")


async def test_a_stranger_gets_404_and_a_malformed_key_is_a_problem_naming_the_field(client: AsyncTestClient) -> None:
    developer, _ = await signed_in(client, "dev@example.com", "developer")
    _, customer_id = await signed_in(client, "ada@example.com", "customer")
    stranger, _ = await signed_in(client, "eve@example.com", "customer")
    key = (await issued(client, developer, customer_id))["key"]

    hidden = await client.get(f"/api/licenses/{key}", headers=bearer(stranger))
    assert (hidden.status_code, hidden.json()["code"]) == (404, "LICENSE_NOT_FOUND")

    malformed = await client.get("/api/licenses/not-a-key", headers=bearer(stranger))
    assert malformed.status_code == 422 and malformed.json()["errors"][0]["field"] == "licenseKey"
    typo = await client.post("/api/licenses/validate", json={"key": key[:-1] + ("0" if key[-1] != "0" else "1")})
    assert typo.status_code == 422 and typo.json()["errors"][0]["field"] == "key"
    bad = await client.post("/api/licenses/activate", json={"fingerprint": "m"}, headers=license_auth("nonsense"))
    assert 400 <= bad.status_code < 500 and bad.json()["errors"][0]["field"] == "key"
    anonymous = await client.post("/api/licenses/activate", json={"fingerprint": "m"})
    assert anonymous.status_code == 401


async def test_a_key_with_a_typo_in_the_path_names_no_license(client: AsyncTestClient) -> None:
    developer, _ = await signed_in(client, "dev@example.com", "developer")
    _, customer_id = await signed_in(client, "ada@example.com", "customer")
    key = (await issued(client, developer, customer_id))["key"]
    typo = key[:-1] + ("0" if key[-1] != "0" else "1")
    routes = [("GET", ""), ("GET", "/machines"), ("PUT", "/renew"), ("POST", "/suspend"), ("POST", "/reinstate")]
    for method, suffix in [*routes, ("DELETE", "")]:
        answer = await client.request(method, f"/api/licenses/{typo}{suffix}", headers=bearer(developer))
        assert (answer.status_code, answer.json()["code"]) == (404, "LICENSE_NOT_FOUND"), (method, suffix)
        assert answer.json()["errors"][0]["field"] == "licenseKey" and "typo" in answer.json()["detail"]
    untouched = await client.get(f"/api/licenses/{key}", headers=bearer(developer))
    assert (untouched.status_code, untouched.json()["status"]) == (200, "ACTIVE")


async def test_a_policy_of_another_product_issues_nothing(client: AsyncTestClient) -> None:
    developer, _ = await signed_in(client, "dev@example.com", "developer")
    customer, customer_id = await signed_in(client, "ada@example.com", "customer")
    generated = await issued(client, developer, customer_id)
    wrong = await client.post(
        "/api/licenses/generate",
        json={"productId": customer_id, "policyId": generated["license"]["policyId"], "userId": customer_id},
        headers=bearer(developer),
    )
    assert (wrong.status_code, wrong.json()["code"]) == (404, "POLICY_NOT_FOUND")
    assert len((await client.get("/api/licenses", headers=bearer(customer))).json()) == 1


async def test_a_license_key_never_reaches_the_logs(client: AsyncTestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="devforge.http")  # the access log is written at INFO
    developer, _ = await signed_in(client, "dev@example.com", "developer")
    customer, customer_id = await signed_in(client, "ada@example.com", "customer")
    with capture_logs() as logs:
        key = (await issued(client, developer, customer_id))["key"]
        await client.get(f"/api/licenses/{key}", headers=bearer(customer))
        await client.get(f"/api/licenses/{key}", headers=bearer(developer))
        await client.post("/api/licenses/activate", json={"fingerprint": "m-1"}, headers=license_auth(key))
        await client.post("/api/licenses/validate", json={"key": key, "fingerprint": "m-1"})
        await client.put(f"/api/licenses/{key}/renew", headers=bearer(customer))  # refused: audited
        await client.delete(f"/api/licenses/{key}", headers=bearer(customer))
    assert any(entry.get("path") == "/api/licenses/***" for entry in logs)
    secret = key.replace("-", "")[2:]
    assert not [entry for entry in logs if key in repr(entry) or secret in repr(entry).replace("-", "")]


async def test_the_revocation_reason_may_come_in_a_json_body(client: AsyncTestClient) -> None:
    developer, _ = await signed_in(client, "dev@example.com", "developer")
    _, customer_id = await signed_in(client, "ada@example.com", "customer")
    key = (await issued(client, developer, customer_id))["key"]
    bad = await client.request("DELETE", f"/api/licenses/{key}", json={"why": 1}, headers=bearer(developer))
    assert bad.status_code == 400
    revoked = await client.request(
        "DELETE", f"/api/licenses/{key}", json={"reason": "fraud"}, headers=bearer(developer)
    )
    assert (revoked.status_code, revoked.json()["status"]) == (200, "REVOKED")


async def test_a_suspended_license_answers_suspended_until_it_is_reinstated(client: AsyncTestClient) -> None:
    developer, _ = await signed_in(client, "dev@example.com", "developer")
    customer, customer_id = await signed_in(client, "ada@example.com", "customer")
    key = (await issued(client, developer, customer_id))["key"]
    await client.post("/api/licenses/activate", json={"fingerprint": "machine-1"}, headers=license_auth(key))

    refused = await client.post(f"/api/licenses/{key}/suspend", headers=bearer(customer))
    assert refused.status_code == 403, refused.text
    suspended = await client.post(
        f"/api/licenses/{key}/suspend", json={"reason": "unpaid invoice"}, headers=bearer(developer)
    )
    assert (suspended.status_code, suspended.json()["status"]) == (200, "SUSPENDED"), suspended.text
    verdict = (await client.post("/api/licenses/validate", json={"key": key, "fingerprint": "machine-1"})).json()
    assert (verdict["valid"], verdict["code"]) == (False, "SUSPENDED")
    blocked = await client.post("/api/licenses/activate", json={"fingerprint": "machine-2"}, headers=license_auth(key))
    assert (blocked.status_code, blocked.json()["code"]) == (403, "LICENSE_SUSPENDED"), blocked.text

    assert (await client.post(f"/api/licenses/{key}/reinstate", headers=bearer(customer))).status_code == 403
    reinstated = await client.post(f"/api/licenses/{key}/reinstate", headers=bearer(developer))
    assert (reinstated.status_code, reinstated.json()["status"]) == (200, "ACTIVE"), reinstated.text
    again = (await client.post("/api/licenses/validate", json={"key": key, "fingerprint": "machine-1"})).json()
    assert (again["valid"], again["code"]) == (True, "VALID")


async def test_a_licenses_machines_are_listed_to_those_who_may_see_it(client: AsyncTestClient) -> None:
    developer, _ = await signed_in(client, "dev@example.com", "developer")
    customer, customer_id = await signed_in(client, "ada@example.com", "customer")
    stranger, _ = await signed_in(client, "eve@example.com", "customer")
    key = (await issued(client, developer, customer_id, max_machines=3))["key"]
    for fingerprint in ("machine-1", "machine-2"):
        activated = await client.post(
            "/api/licenses/activate", json={"fingerprint": fingerprint, "name": "laptop"}, headers=license_auth(key)
        )
        assert activated.status_code == 201, activated.text

    for reader in (customer, developer):
        listed = await client.get(f"/api/licenses/{key}/machines", headers=bearer(reader))
        assert listed.status_code == 200, listed.text
        assert sorted(m["fingerprint"] for m in listed.json()) == ["machine-1", "machine-2"]
        assert all(m["status"] == "ACTIVE" and m["activatedAt"] and m["name"] == "laptop" for m in listed.json())
    hidden = await client.get(f"/api/licenses/{key}/machines", headers=bearer(stranger))
    assert (hidden.status_code, hidden.json()["code"]) == (404, "LICENSE_NOT_FOUND")
    malformed = await client.get("/api/licenses/not-a-key/machines", headers=bearer(customer))
    assert malformed.status_code == 422 and malformed.json()["errors"][0]["field"] == "licenseKey"


async def test_a_license_for_an_account_that_does_not_exist_is_422_naming_the_user(client: AsyncTestClient) -> None:
    developer, _ = await signed_in(client, "dev@example.com", "developer")
    _, customer_id = await signed_in(client, "ada@example.com", "customer")
    generated = await issued(client, developer, customer_id)
    body = {"productId": generated["license"]["productId"], "policyId": generated["license"]["policyId"]}
    refused = await client.post(
        "/api/licenses/generate", json=body | {"userId": str(uuid4())}, headers=bearer(developer)
    )
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "ACCOUNT_NOT_FOUND" and refused.json()["errors"][0]["field"] == "userId"
