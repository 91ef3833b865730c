"""Offline licensing over HTTP: what the server signs verifies with the reference verifier and the
published keys alone, and an edited document or another nonce does not."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from devforge.client.license_verifier import (
    LicenseInvalid,
    load_public_keys,
    verify_license_file,
    verify_response,
    verify_revocation_list,
)
from tests.integration.http.test_licensing_api import bearer, issued, license_auth, signed_in


async def published(client: AsyncTestClient) -> Any:
    answer = await client.get("/api/licenses/public-keys")
    assert answer.status_code == 200, answer.text
    (key,) = answer.json()["keys"]
    assert (key["alg"], key["status"]) == ("Ed25519", "active") and key["kid"].startswith("ed25519-")
    return load_public_keys(answer.text)


async def a_license(client: AsyncTestClient) -> tuple[str, str, str]:
    """(developer token, key, license id), with machine-1 active."""
    developer, _ = await signed_in(client, "dev@example.com", "developer")
    _, customer_id = await signed_in(client, "ada@example.com", "customer")
    generated = await issued(client, developer, customer_id)
    key = generated["key"]
    activated = await client.post(
        "/api/licenses/activate", json={"fingerprint": "machine-1"}, headers=license_auth(key)
    )
    assert activated.status_code == 201, activated.text
    return developer, key, generated["license"]["id"]


async def test_a_validation_answer_is_signed_over_its_body_time_and_nonce(client: AsyncTestClient) -> None:
    _, key, _ = await a_license(client)
    keys = await published(client)
    answer = await client.post("/api/licenses/validate", json={"key": key, "fingerprint": "machine-1", "nonce": "n-1"})
    assert answer.json()["nonce"] == "n-1" and answer.json()["valid"] is True
    header = answer.headers["Devforge-Signature"]
    assert header.startswith("kid=ed25519-") and ";ts=" in header and ";sig=" in header

    verify_response(answer.content, header, nonce="n-1", public_keys=keys, now=datetime.now(UTC))
    with pytest.raises(LicenseInvalid, match="bad signature"):
        verify_response(answer.content, header, nonce="n-2", public_keys=keys, now=datetime.now(UTC))
    edited = answer.content.replace(b'"valid":true', b'"valid":false')
    with pytest.raises(LicenseInvalid, match="bad signature"):
        verify_response(edited, header, nonce="n-1", public_keys=keys, now=datetime.now(UTC))


async def test_a_checked_out_file_verifies_for_its_machine_and_a_flipped_byte_does_not(
    client: AsyncTestClient,
) -> None:
    _, key, license_id = await a_license(client)
    keys = await published(client)
    answer = await client.post(
        "/api/licenses/checkout", json={"fingerprint": "machine-1", "ttlSeconds": 86400}, headers=license_auth(key)
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    text = answer.text

    payload = verify_license_file(text, public_keys=keys, fingerprint="machine-1", now=datetime.now(UTC))
    assert payload["license"]["id"] == license_id and payload["machine"]["fingerprint"] == "machine-1"
    lines = text.strip().splitlines()
    outer = json.loads(base64.b64decode("".join(lines[1:-1])))
    outer["sig"] = ("B" if outer["sig"][0] != "B" else "C") + outer["sig"][1:]
    armored = base64.b64encode(json.dumps(outer).encode()).decode()
    flipped = "\n".join([lines[0], armored, lines[-1]])
    with pytest.raises(LicenseInvalid):
        verify_license_file(flipped, public_keys=keys, fingerprint="machine-1", now=datetime.now(UTC))
    with pytest.raises(LicenseInvalid, match="wrong fingerprint"):
        verify_license_file(text, public_keys=keys, fingerprint="machine-2", now=datetime.now(UTC))


async def test_an_encrypted_file_opens_only_with_the_key(client: AsyncTestClient) -> None:
    _, key, license_id = await a_license(client)
    keys = await published(client)
    answer = await client.post(
        "/api/licenses/checkout", json={"fingerprint": "machine-1", "encrypt": True}, headers=license_auth(key)
    )
    assert answer.status_code == 200, answer.text
    now = datetime.now(UTC)
    payload = verify_license_file(answer.text, public_keys=keys, fingerprint="machine-1", now=now, license_key=key)
    assert payload["license"]["id"] == license_id
    with pytest.raises(LicenseInvalid, match="license key is needed"):
        verify_license_file(answer.text, public_keys=keys, fingerprint="machine-1", now=now)


async def test_checkout_is_refused_without_a_key_for_an_unknown_machine_and_once_revoked(
    client: AsyncTestClient,
) -> None:
    developer, key, _ = await a_license(client)
    anonymous = await client.post("/api/licenses/checkout", json={"fingerprint": "machine-1"})
    assert anonymous.status_code == 401
    unknown = await client.post("/api/licenses/checkout", json={"fingerprint": "other"}, headers=license_auth(key))
    assert (unknown.status_code, unknown.json()["code"]) == (404, "MACHINE_NOT_FOUND")
    short = await client.post(
        "/api/licenses/checkout", json={"fingerprint": "machine-1", "ttlSeconds": 60}, headers=license_auth(key)
    )
    assert short.status_code == 400

    assert (await client.delete(f"/api/licenses/{key}", headers=bearer(developer))).status_code == 200
    refused = await client.post("/api/licenses/checkout", json={"fingerprint": "machine-1"}, headers=license_auth(key))
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "LICENSE_REVOKED"


async def test_the_revocation_list_is_signed_and_names_a_revoked_license(client: AsyncTestClient) -> None:
    developer, key, license_id = await a_license(client)
    keys = await published(client)
    before = await client.get("/api/licenses/revocations")
    assert before.status_code == 200 and verify_revocation_list(before.text, public_keys=keys) == frozenset()

    assert (await client.delete(f"/api/licenses/{key}", headers=bearer(developer))).status_code == 200
    after = await client.get("/api/licenses/revocations")
    assert verify_revocation_list(after.text, public_keys=keys) == {license_id}


async def test_a_validation_retried_with_its_idempotency_key_answers_the_revocation(client: AsyncTestClient) -> None:
    """Validation and file checkout are reads of the state now: never replayed from the idempotency store."""
    developer, key, _ = await a_license(client)
    retry = {"Idempotency-Key": "validate-1", **license_auth(key)}
    body = {"fingerprint": "machine-1", "nonce": "n-1"}
    first = await client.post("/api/licenses/validate", json=body, headers=retry)
    assert (first.json()["valid"], first.json()["code"]) == (True, "VALID")
    checkout = {"Idempotency-Key": "checkout-1", **license_auth(key)}
    assert (await client.post("/api/licenses/checkout", json={"fingerprint": "machine-1"}, headers=checkout)).is_success

    assert (await client.delete(f"/api/licenses/{key}", headers=bearer(developer))).status_code == 200
    again = await client.post("/api/licenses/validate", json=body, headers=retry)
    assert (again.json()["valid"], again.json()["code"]) == (False, "REVOKED")
    assert "idempotent-replayed" not in again.headers
    refused = await client.post("/api/licenses/checkout", json={"fingerprint": "machine-1"}, headers=checkout)
    assert (refused.status_code, refused.json()["code"]) == (403, "LICENSE_REVOKED")


async def test_a_suspension_lands_on_the_signed_revocation_list_until_the_license_is_reinstated(
    client: AsyncTestClient,
) -> None:
    developer, key, license_id = await a_license(client)
    keys = await published(client)
    file = await client.post("/api/licenses/checkout", json={"fingerprint": "machine-1"}, headers=license_auth(key))
    assert file.status_code == 200, file.text

    assert (await client.post(f"/api/licenses/{key}/suspend", headers=bearer(developer))).status_code == 200
    listed = (await client.get("/api/licenses/revocations")).text
    assert verify_revocation_list(listed, public_keys=keys) == {license_id}
    with pytest.raises(LicenseInvalid, match="the license is suspended"):
        verify_license_file(
            file.text, public_keys=keys, fingerprint="machine-1", now=datetime.now(UTC), revocation_list=listed
        )

    assert (await client.post(f"/api/licenses/{key}/reinstate", headers=bearer(developer))).status_code == 200
    listed = (await client.get("/api/licenses/revocations")).text
    assert verify_revocation_list(listed, public_keys=keys) == frozenset()
    now = datetime.now(UTC)
    verify_license_file(file.text, public_keys=keys, fingerprint="machine-1", now=now, revocation_list=listed)
