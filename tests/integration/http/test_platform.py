"""Health, rate limits, CORS and the OpenAPI document."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from tests.integration.http.conftest import build_client


async def test_health_probes(client: AsyncTestClient) -> None:
    assert (await client.get("/health/live")).json() == {"status": "ok", "checks": {}}
    assert (await client.get("/health/ready")).status_code == 200


async def test_the_auth_group_is_rate_limited_with_retry_after() -> None:
    test_client, _, _ = build_client(rate_limit_auth_per_minute=3)
    async with test_client as client:
        answers = [
            await client.post("/api/auth/login", json={"email": "a@b.co", "password": "whatever you like"})
            for _ in range(4)
        ]
        assert [a.status_code for a in answers] == [401, 401, 401, 429]
        assert answers[-1].headers["content-type"].startswith("application/problem+json")
        assert 1 <= int(answers[-1].headers["retry-after"]) <= 60
        # Other groups keep their own budget; health probes are never limited.
        assert (await client.get("/health/live")).status_code == 200


async def test_cors_allows_only_configured_origins() -> None:
    test_client, _, _ = build_client(cors_origins=["https://app.devforge.dev"])
    async with test_client as client:
        headers = {"Origin": "https://app.devforge.dev", "Access-Control-Request-Method": "POST"}
        allowed = await client.options("/api/auth/login", headers=headers)
        assert allowed.headers.get("access-control-allow-origin") == "https://app.devforge.dev"
        evil = await client.options(
            "/api/auth/login", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
        )
        assert evil.headers.get("access-control-allow-origin") != "https://evil.example"


async def test_every_operation_is_documented_with_a_summary_and_its_errors(client: AsyncTestClient) -> None:
    assert (await client.get("/schema")).status_code == 200
    spec = (await client.get("/schema/openapi.json")).json()
    assert spec["openapi"].startswith("3.1")
    for path in ("/api/auth/register", "/api/auth/login", "/api/auth/logout", "/api/auth/me", "/api/auth/refresh"):
        assert path in spec["paths"], path
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method} {path} has no summary"
            if path.startswith("/api/"):
                errors = {code for code in operation["responses"] if code.startswith(("4", "5"))}
                assert errors, f"{method} {path} documents no error responses"
                for code in errors:
                    content = operation["responses"][code]["content"]["application/problem+json"]
                    assert content.get("examples") or content.get("example"), f"{method} {path} {code}"
    register = spec["paths"]["/api/auth/register"]["post"]
    body_schema = register["requestBody"]["content"]["application/json"]["schema"]
    assert "examples" in str(spec["components"]["schemas"]) or body_schema


async def test_license_client_calls_have_their_own_budget() -> None:
    test_client, _, _ = build_client(rate_limit_license_per_minute=2, rate_limit_auth_per_minute=2)
    async with test_client as client:
        body = {"key": "DF-00000-00000-00000-00000-00000-00000"}
        answers = [(await client.post("/api/licenses/validate", json=body)).status_code for _ in range(3)]
        assert answers[-1] == 429
        assert answers[0] != 429
        # the sign-in budget is untouched by license traffic
        login = await client.post("/api/auth/login", json={"email": "a@b.co", "password": "whatever you like"})
        assert login.status_code == 401
