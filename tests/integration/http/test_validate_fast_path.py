"""``POST /api/licenses/validate`` answered in front of Litestar (ValidateFastPath) must be the
route's answer byte for byte, and everything unusual must still get the route's problem+json."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from litestar.testing import AsyncTestClient

from devforge.client.license_verifier import load_public_keys, verify_response
from tests.integration.http.conftest import build_client
from tests.integration.http.test_licensing_api import issued, license_auth, signed_in


@pytest.fixture
async def client() -> AsyncIterator[AsyncTestClient]:
    test_client, _, _ = build_client(rate_limit_license_per_minute=4)
    async with test_client as running:
        yield running


async def a_key(client: AsyncTestClient) -> str:
    developer, _ = await signed_in(client, "dev@example.com", "developer")
    _, customer_id = await signed_in(client, "ada@example.com", "customer")
    return str((await issued(client, developer, customer_id))["key"])


async def test_the_fast_answer_is_the_routes_answer_signed_for_the_nonce(client: AsyncTestClient) -> None:
    key = await a_key(client)
    body = {"fingerprint": "m-1", "entitlements": ["b", "a", "a"], "nonce": "n-1"}
    fast = await client.post("/api/licenses/validate", json=body, headers=license_auth(key))
    # An Idempotency-Key sends the same request through the Litestar route instead.
    routed = await client.post(
        "/api/licenses/validate", json=body, headers=license_auth(key) | {"Idempotency-Key": "route-1"}
    )
    assert fast.status_code == routed.status_code == 200
    fast_json, routed_json = fast.json(), routed.json()
    assert fast_json.pop("ts") and routed_json.pop("ts")
    assert (
        fast_json
        == routed_json
        == {
            "valid": False,
            "code": "ENTITLEMENTS_MISSING",
            "detail": fast_json["detail"],
            "nonce": "n-1",
            "scope": {"product": None, "fingerprint": "m-1", "entitlements": ["a", "b"]},
        }
    )
    assert fast.headers["content-type"] == "application/json"
    assert len(fast.headers["x-request-id"]) == 32
    keys = load_public_keys((await client.get("/api/licenses/public-keys")).text)
    verify_response(
        fast.content, fast.headers["devforge-signature"], nonce="n-1", public_keys=keys, now=datetime.now(UTC)
    )


async def test_a_callers_request_id_is_kept(client: AsyncTestClient) -> None:
    key = await a_key(client)
    answer = await client.post(
        "/api/licenses/validate", json={}, headers=license_auth(key) | {"X-Request-ID": "abc-12345"}
    )
    assert answer.headers["x-request-id"] == "abc-12345"


@pytest.mark.parametrize(
    ("body", "headers", "status", "pointer"),
    [
        (b'{"nonce": ', {"Authorization": "License DF-0000"}, 400, None),
        (b'{"fingerprint": 7}', {}, 400, None),
        (b"{}", {}, 401, None),
        (b'{"key": "DF-NOT-A-KEY"}', {}, 422, "key"),
    ],
    ids=["broken-json", "wrong-type", "no-key", "malformed-key"],
)
async def test_what_the_fast_path_does_not_serve_gets_the_routes_problem(
    client: AsyncTestClient, body: bytes, headers: dict[str, str], status: int, pointer: str | None
) -> None:
    answer = await client.post(
        "/api/licenses/validate", content=body, headers={"Content-Type": "application/json"} | headers
    )
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    if pointer is not None:
        assert pointer in answer.text


async def test_each_request_counts_once_against_the_license_limit(client: AsyncTestClient) -> None:
    key = await a_key(client)
    # The limit is 4 a minute: a well-formed request (fast), a malformed key (counted by the fast
    # path, answered by the route), two more well-formed ones, then the fifth is refused.
    statuses = [
        (await client.post("/api/licenses/validate", json={}, headers=license_auth(key))).status_code,
        (await client.post("/api/licenses/validate", json={}, headers=license_auth("DF-00000"))).status_code,
        (await client.post("/api/licenses/validate", json={}, headers=license_auth(key))).status_code,
        (await client.post("/api/licenses/validate", json={}, headers=license_auth(key))).status_code,
    ]
    refused = await client.post("/api/licenses/validate", json={}, headers=license_auth(key))
    assert statuses == [200, 422, 200, 200]
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert int(refused.headers["retry-after"]) >= 1
