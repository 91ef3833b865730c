"""Every kind of answer carries the security headers: a route's answer, problem+json errors, a
404 for no route, a validation error, the validation fast path, a file download, the docs. The
docs pages load nothing from another origin."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
from litestar.testing import AsyncTestClient

from devforge.application.common.file_storage import FileStorage
from devforge.entrypoints.http.security_headers import API_POLICY, DOCS_POLICY
from tests.integration.http.conftest import build_client
from tests.integration.http.test_licensing_api import issued, license_auth, signed_in


def assert_secured(answer: httpx.Response, policy: bytes = API_POLICY) -> None:
    what = f"{answer.request.method} {answer.request.url.path} -> {answer.status_code}"
    assert answer.headers.get("x-content-type-options") == "nosniff", what
    assert answer.headers.get("x-frame-options") == "DENY", what
    assert answer.headers.get("referrer-policy") == "no-referrer", what
    assert answer.headers.get("content-security-policy") == policy.decode(), what
    assert "strict-transport-security" not in answer.headers, what  # plain HTTP, no https public URL


async def every_kind_of_answer(client: AsyncTestClient) -> dict[str, httpx.Response]:
    developer, _ = await signed_in(client, "dev@example.com", "developer")
    customer, customer_id = await signed_in(client, "ada@example.com", "customer")
    key = str((await issued(client, developer, customer_id))["key"])
    storage = await client.app.state.dishka_container.get(FileStorage)
    await storage.put("files/a.bin", b"bytes")
    link = urlsplit(await storage.signed_url("files/a.bin", expires_in=timedelta(minutes=5), filename="a.bin"))
    return {
        "route": await client.get("/api/auth/me", headers={"Authorization": f"Bearer {customer}"}),
        "unauthenticated": await client.get("/api/auth/me"),
        "no route": await client.get("/api/nothing-here"),
        "validation": await client.post("/api/auth/login", json={"email": 5}),
        "fast path": await client.post("/api/licenses/validate", json={"fingerprint": "m"}, headers=license_auth(key)),
        "download": await client.get(link.path),
        "health": await client.get("/health/live"),
    }


async def test_every_kind_of_answer_carries_the_security_headers() -> None:
    test_client, _, _ = build_client()
    async with test_client as client:
        answers = await every_kind_of_answer(client)
    assert {name: answer.status_code for name, answer in answers.items()} == {
        "route": 200,
        "unauthenticated": 401,
        "no route": 404,
        "validation": 400,
        "fast path": 200,
        "download": 200,
        "health": 200,
    }
    for answer in answers.values():
        assert_secured(answer)
        assert answer.headers["cache-control"] in ("no-store", "private, no-store")
    assert answers["fast path"].headers["devforge-signature"]  # it really was the fast path's answer


async def test_answers_to_requests_with_credentials_are_never_cached() -> None:
    test_client, _, _ = build_client()
    async with test_client as client:
        public = await client.get("/api/extensions/signing-keys")
        with_credentials = await client.get("/api/extensions/signing-keys", headers={"Authorization": "Bearer x"})
    assert public.headers["cache-control"] == "public, max-age=300"
    assert with_credentials.headers.get_list("cache-control") == ["no-store"]


async def test_hsts_when_the_service_is_reached_over_https() -> None:
    test_client, _, _ = build_client(public_base_url="https://api.forge.example")
    async with test_client as client:
        answer = await client.get("/health/live")
    assert answer.headers["strict-transport-security"] == "max-age=63072000; includeSubDomains"


async def test_the_docs_pages_load_only_same_origin_assets_that_the_service_serves() -> None:
    test_client, _, _ = build_client()
    async with test_client as client:
        for page in ("/schema", "/schema/swagger"):
            answer = await client.get(page)
            assert answer.status_code == 200
            assert_secured(answer, DOCS_POLICY)
            assert "'self'" in answer.headers["content-security-policy"]
            html = answer.text
            assert "<script>" not in html and "http://" not in html and "https://" not in html, html
            references = re.findall(r'(?:src|href)="([^"]+)"', html)
            assert references and all(ref.startswith("/schema/") for ref in references), references
            for ref in references:
                asset = await client.get(ref)
                assert asset.status_code == 200, ref
                assert asset.headers["content-type"].split(";")[0] in ("text/javascript", "text/css", "image/png")
                assert_secured(asset, DOCS_POLICY)
                assert asset.headers["cache-control"] == "max-age=86400, public"
            assert "/schema/openapi.json" in html
